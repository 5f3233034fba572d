"""Word templates: found, checked against the fields ardesk fills, and filled one letter at a time (docxtpl).

A template names fields in Jinja's {{ }} as docxtpl reads them ({%tr for item in items %} repeats a table row). It
is checked before any letter is written: every field it names must be one ardesk fills for that kind of letter,
and every field of a repeated row one that row has, so a typo fails in one sentence naming the field and the
template instead of printing an empty space on 1,500 letters. The e-mail's subject and text are checked the same
way. Values are escaped as they are filled (a customer called "Müller & Weiß" stays text, not broken XML).
"""
import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from ardesk.errors import ArdeskError


@dataclass(frozen=True)
class Fields:
    """What ardesk fills in one kind of letter."""

    kind: str
    """The letter's name in a sentence: "statement"."""
    values: frozenset[str]
    """Fields that are one value (text)."""
    rows: dict[str, frozenset[str]] = field(default_factory=dict)
    """Fields that are lists -> what each element has (an empty set: the elements are text, like address lines)."""

    @property
    def names(self) -> frozenset[str]:
        return self.values | frozenset(self.rows)


class _Keeping(Environment):
    """A Jinja environment that keeps the tree of what it last parsed (docxtpl hands it the template's XML)."""

    tree: nodes.Template | None = None

    def parse(self, source, name=None, filename=None):
        self.tree = super().parse(source, name, filename)
        return self.tree


def location(folder: str, name: str) -> Path:
    """The template `name` in the company's `folder`, else among those shipped with ardesk (workbooks/)."""
    path = Path(folder) / name if folder else Path(str(resources.files("ardesk.workbooks").joinpath(name)))
    if not path.is_file():
        where = f"the templates folder {folder}" if folder else "the templates shipped with ardesk"
        raise ArdeskError(f"There is no template {name} in {where}: put it there or correct [letters] in ardesk.toml; "
                          "nothing was written.")
    return path


def check(path: Path, fields: Fields) -> None:
    """Refuse a template that is no Word document, is not written right, or names a field ardesk does not fill."""
    environment = _Keeping()
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(environment)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ArdeskError(f"The template {path} is not a Word document (.docx): save it from Word as a .docx; "
                          "nothing was written.") from None
    except TemplateSyntaxError as problem:
        raise ArdeskError(f"The template {path} has a field that is not written right ({problem.message}): correct "
                          "it in Word; nothing was written.") from None
    _refuse_unknown(used, environment.tree, fields, f"The template {path}")


def check_text(text: str, fields: Fields, where: str) -> None:
    """The same check for a text template (the e-mail's subject or body, from `where` in the settings)."""
    environment = Environment()
    try:
        tree = environment.parse(text)
    except TemplateSyntaxError as problem:
        raise ArdeskError(f"{where} has a field that is not written right ({problem.message}): correct it in "
                          "ardesk.toml; nothing was written.") from None
    _refuse_unknown(meta.find_undeclared_variables(tree), tree, fields, where)


def _refuse_unknown(used: set[str], tree: nodes.Template, fields: Fields, where: str) -> None:
    unknown = sorted(used - fields.names)
    if unknown:
        raise ArdeskError(f"{where} names the field {unknown[0]!r}, which ardesk does not fill in a {fields.kind}: "
                          f"use one of {', '.join(sorted(fields.names))}; nothing was written.")
    for loop in tree.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Name) and loop.iter.name in fields.rows
                and isinstance(loop.target, nodes.Name)):
            continue
        each, has = loop.target.name, fields.rows[loop.iter.name]
        for part in loop.body:
            for look in part.find_all((nodes.Getattr, nodes.Getitem)):
                key = look.attr if isinstance(look, nodes.Getattr) else getattr(look.arg, "value", None)
                if isinstance(look.node, nodes.Name) and look.node.name == each and key not in has:
                    offered = f"one of {', '.join(sorted(has))}" if has else f"{each} alone (it is text)"
                    raise ArdeskError(f"{where} names the field {each}.{key} in its {loop.iter.name}, which ardesk "
                                      f"does not fill in a {fields.kind}: use {offered}; nothing was written.")


class _Compiling(Environment):
    """Compiles each distinct text once: every letter of a run fills the same parts of the same template, and
    compiling them was a third of the time of a letter (21 ms of 67)."""

    def __init__(self):
        super().__init__(autoescape=True)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


class _Patching(DocxTemplate):
    """docxtpl's template that tidies each part's XML (the Jinja tags Word splits over runs) once a run, and skips
    its pass turning line breaks and tabs inside values into Word's (7 ms of a letter's 18): ardesk's values are
    single lines (ardesk.letters.statement.context), so that pass never finds anything."""

    def __init__(self, source, patched: dict[str, str]):
        super().__init__(source)
        self._patched = patched

    def patch_xml(self, src_xml):
        if src_xml not in self._patched:
            self._patched[src_xml] = super().patch_xml(src_xml)
        return self._patched[src_xml]

    def resolve_listing(self, xml):
        return xml


class Filler:
    """One template, read once, filled for letter after letter."""

    def __init__(self, path: Path):
        self._bytes = Path(path).read_bytes()
        self._environment = _Compiling()
        self._patched: dict[str, str] = {}

    def fill(self, context: dict, output: Path) -> None:
        """Write the template filled with `context` to `output` (a .docx)."""
        document = _Patching(io.BytesIO(self._bytes), self._patched)
        document.render(context, self._environment, autoescape=True)
        document.save(str(output))


@cache
def _text_template(text: str):
    return Environment(keep_trailing_newline=True).from_string(text)


def fill_text(text: str, context: dict) -> str:
    """A text template (subject, body) filled with `context` (compiled once a process)."""
    return _text_template(text).render(context)
