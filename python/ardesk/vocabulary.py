"""The words people choose from: contact types, outcomes, dispute reasons, aging groups.

Kept apart from the column contracts (ardesk.frames, which needs pandas) because the command line offers
them in its help, and `ardesk --help` should not wait for pandas to load.
"""

CONTACT_TYPES = ("Call", "Email", "Portal", "Letter", "Meeting")
CREDIT, PLACEMENT = "Credit", "Placement"
RECORD_TYPES = (CREDIT, PLACEMENT)
"""Notes that record a decision on the account (a credit hold set or lifted, an account placed with an agency),
not a contact with the customer: valid in a note, left out of the last contact and of the contact coverage."""
OUTCOMES = ("Reached", "Left message", "Promised", "Disputed", "Refused", "Wrong contact", "Paid")
DISPUTE_REASONS = ("Pricing", "Shortage", "Damage", "Returns", "Not received", "Duplicate billing",
                   "Unauthorised deduction")
GROUPS = {"customer": "customer_id", "collector": "collector", "sales_rep": "sales_rep"}
"""How the aging pivot may group its rows -> the column it groups by."""
