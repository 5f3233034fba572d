"""ardesk: accounts-receivable collections inside Excel.

Layers (each imports only downward): cli / excel -> jobs -> erp, book -> ar -> frames, settings.
"""
__version__ = "0.1.0"
