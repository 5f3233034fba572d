"""Text inside an XML part, escaped the way Excel reads it back."""
import re

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_UNENCODABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
"""What XML 1.0 cannot carry, plus a literal `_xHHHH_` that a reader would take for an escape (ST_Xstring)."""
_TO_ESCAPE = re.compile(rf'[&<>"]|{_UNENCODABLE.pattern}')
"""Whatever xml_text changes. Most text holds none of it, and one search says so four times faster than
translate looks at each character (the demo workbook's 48,845 shared strings: 30 ms instead of 120 ms)."""


def xml_text(text: str) -> str:
    """`text` escaped for an XML element or attribute, control characters spelled `_xHHHH_` as Excel does."""
    if _TO_ESCAPE.search(text) is None:
        return text
    return _UNENCODABLE.sub(lambda m: f"_x{ord(m.group()):04X}_", text).translate(_XML_ESCAPES)
