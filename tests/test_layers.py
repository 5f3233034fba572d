"""The layering rule of docs/architecture.md, held for every module: each imports only layers below its own
(or its own package), so the core stays pure, no edge reaches back up, and the add-in never loads Excel's side."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "python" / "ardesk"

LAYERS = {
    "errors": 0, "vocabulary": 0, "money": 0, "sql": 0,
    "frames": 1, "settings": 1,
    "ar": 2, "demo": 2,  # the pure core
    "xlsx": 3, "snapshot": 3, "handle": 3, "progress": 3, "programs": 3,
    "erp": 4, "book": 4, "letters": 4, "worksheet_functions": 4,  # the edges
    "addin": 5, "receivables": 5, "reports": 5,
    "pipeline": 6,
    "jobs": 7,
    "cli": 8, "excel": 8,  # the front doors
}
"""Each top-level module or package of ardesk -> its layer; a module may import lower layers only."""


def _imports(path: Path) -> set[str]:
    """The top-level ardesk modules `path` imports (`ardesk.erp.odbc` -> "erp")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        for name in names:
            parts = name.split(".")
            if parts[0] == "ardesk" and len(parts) > 1:
                found.add(parts[1])
            elif parts == ["ardesk"] and isinstance(node, ast.ImportFrom):
                found |= {a.name for a in node.names}
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")


def _top(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def test_every_module_has_a_layer():
    assert {_top(p) for p in MODULES} - {"__init__"} == set(LAYERS) - {"sql"}  # ardesk.sql is sql/, data


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_downward(path):
    own = _top(path)
    if own == "__init__":
        return
    upward = {name for name in _imports(path) - {own, "__version__"} if LAYERS.get(name, 99) >= LAYERS[own]}
    assert not upward, f"{path.relative_to(PACKAGE)} ({own}, layer {LAYERS[own]}) imports {sorted(upward)}"
