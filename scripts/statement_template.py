"""Write workbooks/statement.docx, the statement of account template shipped with ardesk, with python-docx.

The .docx in workbooks/ is what companies copy and edit in Word (letterhead, wording, fonts); this script is how
the shipped one was made, kept so it can be made again after a change: `.venv/bin/python scripts/statement_template.py`.
Fields are docxtpl's: {{ field }}, {%p for %} repeats a paragraph, {%tr for %} a table row
(docs/collector.md#statements-of-account lists every field).
"""
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

OUTPUT = Path(__file__).resolve().parents[1] / "workbooks" / "statement.docx"
ITEM_COLUMNS = (("Date", "item.doc_date", 0.85), ("Number", "item.doc_no", 0.75), ("Type", "item.doc_type", 0.75),
                ("Reference", "item.reference", 0.8), ("PO", "item.po_number", 0.65), ("Due", "item.due_date", 0.85),
                ("Days late", "item.days_past_due", 0.55), ("Amount", "item.amount", 0.75),
                ("Balance", "item.balance", 0.75), ("Running balance", "item.running_balance", 0.8))
"""Heading, field, width in inches: the page's 7.5 inches between margins."""
RIGHT = {"Days late", "Amount", "Balance", "Running balance"}
KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"}
DROPPED_PARTS = ("stylesWithEffects", "customXml", "thumbnail")
"""python-docx's default document carries 800 KB of styles nobody uses (every latent style, twice): reading and
writing them was most of the time of filling a letter (55 ms of 67), so the template keeps the styles it uses and
drops the parts Word does not need, like a document saved from Word (43 KB unzipped, 8 KB zipped)."""


def slimmed(document) -> None:
    """Keep only the styles the template uses, and none of python-docx's leftover parts."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for owner in (document.part, document.part.package):
        for key, relation in list(owner.rels.items()):
            if relation.reltype.rsplit("/", 1)[-1] in DROPPED_PARTS:
                owner.drop_rel(key) if owner is document.part else owner.rels.pop(key)


def paragraph(document, text: str, size: float = 10, bold: bool = False, align=None):
    para = document.add_paragraph()
    run = para.add_run(text)
    run.font.size, run.bold = Pt(size), bold
    para.paragraph_format.space_after = Pt(2)
    if align is not None:
        para.alignment = align
    return para


def loop_table(document, headers: list[str], cells: list[str], loop: str, right: set[str], widths: list[float],
               size: float = 8):
    """A table: a bold header row, then one row repeated by `loop` (docxtpl's {%tr %} rows around it)."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, grid, width in zip(table.columns, table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid.set(qn("w:w"), str(round(width * 1440)))  # what LibreOffice lays out by, in twentieths of a point
        for cell in column.cells:
            cell.width = Inches(width)
    for row, texts in ((0, headers), (1, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1)), (2, cells),
                       (3, ["{%tr endfor %}"] + [""] * (len(headers) - 1))):
        for n, text in enumerate(texts):
            cell = table.cell(row, n)
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.font.size, run.bold = Pt(size), row == 0
            if headers[n] in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def letter_page():
    """A new document with the page and font every shipped letter has."""
    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Inches(0.5)
    section.top_margin = section.bottom_margin = Inches(0.6)
    document.styles["Normal"].font.name = "Liberation Sans"
    return document


def remit_to_block(document) -> None:
    """The company's remit-to lines, a paragraph each, at the top of the letter."""
    paragraph(document, "{%p for line in remit_to %}")
    paragraph(document, "{{ line }}", 10, bold=True)
    paragraph(document, "{%p endfor %}")


def addressee_block(document) -> None:
    """The customer's name, address lines and AR contact (ardesk.letters.addressee)."""
    paragraph(document, "{{ customer_name }}", bold=True)
    paragraph(document, "{%p for line in address %}")
    paragraph(document, "{{ line }}")
    paragraph(document, "{%p endfor %}")
    paragraph(document, "{% if contact_name %}Attention: {{ contact_name }}{% endif %}")
    paragraph(document, "{% if contact_phone %}Phone: {{ contact_phone }}{% endif %}"
                        "{% if contact_email %}    E-mail: {{ contact_email }}{% endif %}")


def letter_head(title: str, dated: str):
    """A new letter down to its text: remit-to, title, the line with date and customer, the addressee."""
    document = letter_page()
    remit_to_block(document)
    paragraph(document, title, 18, bold=True)
    paragraph(document, dated)
    paragraph(document, "")
    addressee_block(document)
    paragraph(document, "")
    return document


def items_table(document, title: str, columns: tuple[tuple[str, str, float], ...], right: set[str]) -> None:
    """A titled table with a row per item of `items`: (heading, field, width in inches) per column."""
    paragraph(document, title, 11, bold=True)
    loop_table(document, [h for h, _, _ in columns], [f"{{{{ {f} }}}}" for _, f, _ in columns], "item in items",
               right, [w for _, _, w in columns])
    paragraph(document, "")


def save(document, output: Path) -> None:
    slimmed(document)
    document.save(output)
    print(output)


def main() -> None:
    document = letter_head("Statement of account",
                           "As of {{ as_of }}    Customer {{ customer_id }}    Amounts in {{ currency }}")
    items_table(document, "Open items", ITEM_COLUMNS, RIGHT)
    paragraph(document, "Aging", 11, bold=True)
    loop_table(document, ["Days past due", "Amount"], ["{{ bucket.label }}", "{{ bucket.amount }}"],
               "bucket in aging", {"Amount"}, [1.5, 1.2], size=9)
    paragraph(document, "")
    paragraph(document, "Total due: {{ currency }} {{ total_due }}", 12, bold=True)
    paragraph(document, "Past due: {{ currency }} {{ past_due }}", 12, bold=True)
    paragraph(document, "")
    paragraph(document, "Please send payment to the remit-to address above, quoting customer {{ customer_id }} and "
                        "the documents you pay. If your records differ from this statement, please tell us.", 9)
    save(document, OUTPUT)

if __name__ == "__main__":
    main()
