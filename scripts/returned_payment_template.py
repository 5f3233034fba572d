"""Write workbooks/returned_payment.docx, the returned-payment notice shipped with ardesk ([returns] template names
it by default), with python-docx: the letter head and items table of the statement (scripts/statement_template.py).

`.venv/bin/python scripts/returned_payment_template.py` makes it again; docs/collector.md#returned-payments lists
every field.
"""
from pathlib import Path

from statement_template import items_table, letter_head, paragraph, save

OUTPUT = Path(__file__).resolve().parents[1] / "workbooks" / "returned_payment.docx"
ITEM_COLUMNS = (("Invoice", "item.doc_no", 1.5), ("Date", "item.doc_date", 1.4), ("Due", "item.due_date", 1.4),
                ("Open again", "item.balance", 1.5))
"""Heading, field, width in inches."""
PARAGRAPHS = (
    "Dear {{ contact_name or \"customer\" }},",
    "Your payment of {{ currency }} {{ amount }} of {{ received_on }} (reference {{ check_ref }}, our receipt "
    "{{ receipt }}) was returned to us unpaid by your bank on {{ returned_on }}: {{ reason | lower }}.",
    "The invoices it paid are open again{% if open_amount != amount %}; {{ currency }} {{ open_amount }} of them "
    "remains unpaid{% endif %}. {% if fee != \"0.00\" %}A returned-payment fee of {{ currency }} {{ fee }} will be "
    "charged to your account. {% endif %}Please pay {{ currency }} {{ total_due }} within 7 days by wire transfer or "
    "certified funds.",
    "{% if cash_in_advance %}As {{ returns }} of your payments have come back unpaid in the last {{ months }} "
    "months, further orders will be released only against payment in advance until we agree otherwise.{% endif %}",
)


def main() -> None:
    document = letter_head("Returned payment", "Date {{ as_of }}    Customer {{ customer_id }}    Amounts in "
                                               "{{ currency }}")
    for text in PARAGRAPHS:
        paragraph(document, text, 10)
        paragraph(document, "")
    items_table(document, "Invoices open again", ITEM_COLUMNS, {"Open again"})
    paragraph(document, "Now due: {{ currency }} {{ total_due }}", 12, bold=True)
    paragraph(document, "")
    paragraph(document, "Please send payment to the remit-to address above, quoting customer {{ customer_id }} and "
                        "receipt {{ receipt }}.", 9)
    save(document, OUTPUT)


if __name__ == "__main__":
    main()
