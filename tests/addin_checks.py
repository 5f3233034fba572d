"""oletools' VBA reader for the add-in tests, and what they read with it.

oletools 0.60 still calls pyparsing 2's names, and pyparsing 3.3 warns about each on import: the warnings
say nothing about ardesk, so they are silenced here, once.
"""
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream  # noqa: F401 (re-exported)


def macros(name: str, data: bytes) -> dict[str, str]:
    """VBA file name (Module.bas, ThisWorkbook.cls) -> source, as olevba extracts them from a vbaProject.bin,
    an .xlsm or an .xlam (`name` tells olevba which)."""
    return {file_name: code for _, _, file_name, code in VBA_Parser(name, data=data).extract_macros()}
