"""Write workbooks/reminder.docx, second.docx and final.docx, the dunning letters' templates shipped with ardesk
(the names [dunning] levels give them by default), with python-docx.

As with the statement (scripts/statement_template.py, whose page, blocks and tables these share), the .docx files
are what companies copy and edit in Word; this script is how the shipped ones were made:
`.venv/bin/python scripts/dunning_templates.py`. docs/collector.md#dunning-letters lists every field.
"""
from pathlib import Path

from statement_template import items_table, letter_head, paragraph, save

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
ITEM_COLUMNS = (("Date", "item.doc_date", 0.9), ("Number", "item.doc_no", 0.85), ("Type", "item.doc_type", 0.85),
                ("Reference", "item.reference", 0.9), ("PO", "item.po_number", 0.75), ("Due", "item.due_date", 0.9),
                ("Days late", "item.days_past_due", 0.6), ("Balance", "item.balance", 0.85),
                ("Interest", "item.interest", 0.75))
"""Heading, field, width in inches (7.35 of the page's 7.5)."""
RIGHT = {"Days late", "Balance", "Interest"}
CHARGES = ("{% if dunning_amount != \"0.00\" %}Interest: {{ currency }} {{ interest }}    Fee: {{ currency }} "
           "{{ fee }}    Interest and fees: {{ currency }} {{ dunning_amount }}{% endif %}")
LETTERS = {
    "reminder.docx": ("Payment reminder", (
        "Dear {{ contact_name or \"customer\" }},",
        "Our records show that the invoices below, {{ currency }} {{ past_due }} in all, are past their due date. "
        "This may simply have been overlooked: if so, please arrange payment at your earliest convenience.",
        "If you have already paid, thank you, and please disregard this reminder. If anything below is not right, "
        "please let us know so that we can put it right.",
    )),
    "second.docx": ("Second notice", (
        "Dear {{ contact_name or \"customer\" }},",
        "{% if last_sent %}On {{ last_sent }} we sent you a {{ last_level_name | lower }}. {% endif %}"
        "The items below, {{ currency }} {{ past_due }}, remain unpaid and are now well past due.",
        "Please pay {{ currency }} {{ total_due }} within 10 days of this notice, or call us to agree how the "
        "balance will be settled. If a payment has crossed with this letter, please tell us its date and amount.",
    )),
    "final.docx": ("Final demand", (
        "Dear {{ contact_name or \"customer\" }},",
        "Despite our earlier letters{% if last_sent %}, the last of them our {{ last_level_name | lower }} of "
        "{{ last_sent }}{% endif %}, the items below, {{ currency }} {{ past_due }}, remain unpaid.",
        "{% if dunning_amount != \"0.00\" %}Interest of {{ currency }} {{ interest }} and a fee of {{ currency }} "
        "{{ fee }} have been charged on the overdue balance. {% endif %}"
        "This is our final demand: unless {{ currency }} {{ total_due }} reaches us within 7 days of this letter, "
        "your account will be placed on credit hold, no further orders will be shipped, and the debt will be "
        "passed to a collection agency or to our solicitors without further notice, which may add to its cost.",
        "If you dispute any item, tell us which and why within the same 7 days.",
    )),
}
"""Template file -> its title and its paragraphs (the wording rises from a friendly reminder to a final demand)."""


def letter(title: str, paragraphs: tuple[str, ...]):
    document = letter_head(title, "Date {{ as_of }}    Customer {{ customer_id }}    Amounts in {{ currency }}")
    for text in paragraphs:
        paragraph(document, text, 10)
        paragraph(document, "")
    items_table(document, "Past-due items", ITEM_COLUMNS, RIGHT)
    paragraph(document, "Past due: {{ currency }} {{ past_due }}", 12, bold=True)
    paragraph(document, CHARGES, 10)
    paragraph(document, "Now due: {{ currency }} {{ total_due }}", 12, bold=True)
    paragraph(document, "")
    paragraph(document, "Please send payment to the remit-to address above, quoting customer {{ customer_id }} and "
                        "the documents you pay.", 9)
    paragraph(document, "{{ level_name }} (level {{ level }})", 8)
    return document


def main() -> None:
    for name, (title, paragraphs) in LETTERS.items():
        save(letter(title, paragraphs), WORKBOOKS / name)


if __name__ == "__main__":
    main()
