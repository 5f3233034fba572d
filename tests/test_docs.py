"""The docs cannot drift from the code: docs/commands.md documents exactly the commands and options of the
`ardesk` parser, and every relative link in README.md and docs/*.md reaches a file (and heading) that exists.

docs/commands.md gives each command a heading `` `ardesk COMMAND [SUB-COMMAND]` `` (any level) and, under it, a
table whose first column names the arguments: `` `--as-of DATE` ``, `` `WORKBOOK` ``. A section runs to the next
heading of any level, so `ardesk reconcile` and `ardesk reconcile apply` each have their own.
"""
import argparse
import re
from pathlib import Path

import pytest

from ardesk.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
COMMANDS_DOC = ROOT / "docs" / "commands.md"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
COMMAND_HEADING = re.compile(r"^`ardesk((?: [a-z][a-z0-9-]*)*)`$")
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")


def parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) for the root and every command and sub-command, depth first. argparse has no
    public way to list sub-commands: the `add_subparsers` action in `_actions` holds them in `choices`."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, path + (name,))


def arguments(parser: argparse.ArgumentParser) -> tuple[set[str], set[str]]:
    """The parser's option strings and its positional arguments as the docs name them (metavar or DEST);
    help, which every command has, and the sub-command choosers are left out."""
    options, positionals = set(), set()
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            options.update(action.option_strings)
        else:
            positionals.add(action.metavar or action.dest.upper())
    return options, positionals


def sections(text: str) -> dict[tuple[str, ...], list[str]]:
    """Command path -> the first-column cells of the tables in its section of commands.md."""
    found, current = {}, None
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading:
            command = COMMAND_HEADING.match(heading.group(2))
            current = tuple(command.group(1).split()) if command else None
            if current is not None:
                assert current not in found, f"docs/commands.md has two sections for `ardesk {' '.join(current)}`"
                found[current] = []
            continue
        if current is not None and line.startswith("|"):
            first = line.strip().strip("|").split("|")[0].strip()
            if first and not set(first) <= set("-: "):
                found[current].append(first)
    return found


def drift(parser: argparse.ArgumentParser, text: str) -> list[str]:
    """Every way docs/commands.md and the parser disagree, one sentence each (empty when they agree)."""
    documented = sections(text)
    problems = []
    commands = dict(parsers(parser))
    for path in sorted(set(documented) - set(commands)):
        problems.append(f"`ardesk {' '.join(path)}` is documented but the parser has no such command")
    for path, command in commands.items():
        name = " ".join(("ardesk",) + path)
        if path not in documented:
            problems.append(f"`{name}` has no section in docs/commands.md")
            continue
        cells = documented[path]
        options, positionals = arguments(command)
        shown = {option for cell in cells for option in OPTION.findall(cell)} - {"-h", "--help"}
        for option in sorted(options - shown):
            problems.append(f"`{name}` has the option {option}, which its section of docs/commands.md does not list")
        for option in sorted(shown - options):
            problems.append(f"the section of `{name}` in docs/commands.md lists {option}, which the parser lacks")
        words = {word for cell in cells for word in re.findall(r"[A-Z][A-Z_]*", cell)}
        for positional in sorted(positionals - words):
            problems.append(f"`{name}` takes {positional}, which its section of docs/commands.md does not list")
    return problems


def test_commands_doc_matches_the_parser():
    problems = drift(build_parser(), COMMANDS_DOC.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_an_option_added_without_docs_is_caught():
    parser = build_parser()
    aging = dict(parsers(parser))[("aging",)]
    aging.add_argument("--undocumented-flag", action="store_true")
    assert ("`ardesk aging` has the option --undocumented-flag, which its section of docs/commands.md does not list"
            in drift(parser, COMMANDS_DOC.read_text(encoding="utf-8")))


def test_a_documented_option_the_parser_lacks_is_caught():
    text = COMMANDS_DOC.read_text(encoding="utf-8").replace("| `--by ", "| `--by-what-not` `--by ", 1)
    assert ("the section of `ardesk aging` in docs/commands.md lists --by-what-not, which the parser lacks"
            in drift(build_parser(), text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen, result = {}, set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        heading = None if in_code else HEADING.match(line)
        if heading:
            base = slug(heading.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else f"{base}-{n}")
    return result


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_reach_files_that_exist(doc):
    text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file_part, _, anchor = target.partition("#")
        where = (doc.parent / file_part).resolve() if file_part else doc
        if not where.exists():
            broken.append(f"{target}: no such file")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)
