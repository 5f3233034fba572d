"""A run of letters, whole or not at all: templates checked, every letter filled, the PDFs made in LibreOffice
batches (ardesk.letters.pdf), an e-mail draft for every letter whose customer has a good address, then everything moved into the output
folder at once.

The work happens in a hidden folder inside the output folder, so a failure part-way (LibreOffice missing, a disk
full) leaves the output folder as it was, and the last step is only renames on one disk. A customer without a
usable e-mail address gets the letter but no draft, and the row says why: never skipped in silence.
"""
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pandas as pd

from ardesk.letters import eml, pdf
from ardesk.letters.template import Fields, Filler, check, check_text, fill_text
from ardesk.progress import QUIET, Progress

POOLED = 100
"""From this many letters on, they are filled by a process per core (at most WORKERS): filling is pure Python,
about 12 ms a letter, so 1,500 letters take half the time on two cores."""
WORKERS = 4
FORMATS = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}
"""--format -> the files of each letter kept in the output folder."""
DRAFT = "Draft"
NO_DRAFT = "No draft: "

WRITTEN = {
    "customer_id": "string",
    "customer_name": "string",
    "email": "string",
    "files": "string",  # the letter's files in the output folder, "C000001.pdf, C000001.docx"
    "draft": "string",  # the .eml draft's file name, "" when there is none
    "status": "string",  # DRAFT, NO_DRAFT + why (the e-mail's check), or what sending made of it
}
"""One row per letter written."""


@dataclass(frozen=True)
class Letter:
    name: str
    """The letter's file name without extension, unique in the run ("C000001")."""
    customer_id: str
    customer_name: str
    email: str
    email_check: str
    """"" when `email` can take the letter, else why not (ardesk.ar.reach)."""
    context: dict
    """The value of every field of its kind of letter."""


@dataclass(frozen=True)
class Mail:
    """The e-mail that carries each letter: From, and the subject and text as templates of the letter's fields."""

    sender: str
    subject: str
    body: str
    where: str
    """Where subject and body come from, for a sentence: "[letters] statement_subject"."""


@dataclass(frozen=True)
class Batch:
    folder: Path
    letters: pd.DataFrame
    """WRITTEN."""
    drafts: dict[str, Message]
    """Letter name -> its draft, for sending."""


def check_all(template: Path, fields: Fields, mail: Mail) -> None:
    """Refuse the template or the e-mail's subject or text naming a field `fields` lacks; nothing is written."""
    check(template, fields)
    check_text(mail.subject, fields, f"{mail.where}_subject")
    check_text(mail.body, fields, f"{mail.where}_body")


def write(letters: list[Letter], template: Path, fields: Fields, folder: Path, kept: str, mail: Mail,
          progress: Progress = QUIET) -> Batch:
    """Every letter as the files `kept` (FORMATS) and an e-mail draft in `folder`; see the module."""
    check_all(template, fields, mail)
    folder.mkdir(parents=True, exist_ok=True)
    formats = FORMATS[kept]
    with tempfile.TemporaryDirectory(dir=folder, prefix=".ardesk-") as work_dir:
        work = Path(work_dir)
        progress.step(f"Writing {len(letters):,} letters", total=len(letters))
        documents = [work / f"{letter.name}.docx" for letter in letters]
        _fill(template, [(letter.context, path) for letter, path in zip(letters, documents)], progress)
        if "pdf" in formats:
            progress.step(f"Making {len(letters):,} PDFs with LibreOffice")
            pdf.to_pdf(documents, work)
        attached = "pdf" if "pdf" in formats else "docx"
        drafts = {}
        progress.step("Writing the e-mail drafts")
        for letter in letters:
            if not letter.email_check:
                drafts[letter.name] = eml.draft(letter.email, mail.sender, fill_text(mail.subject, letter.context),
                                                fill_text(mail.body, letter.context),
                                                work / f"{letter.name}.{attached}")
                eml.write(drafts[letter.name], work / f"{letter.name}.eml")
        for letter in letters:
            for suffix in (*formats, "eml"):
                if (work / f"{letter.name}.{suffix}").exists():
                    os.replace(work / f"{letter.name}.{suffix}", folder / f"{letter.name}.{suffix}")
    rows = pd.DataFrame({
        "customer_id": [letter.customer_id for letter in letters],
        "customer_name": [letter.customer_name for letter in letters],
        "email": [letter.email for letter in letters],
        "files": [", ".join(f"{letter.name}.{suffix}" for suffix in formats) for letter in letters],
        "draft": [f"{letter.name}.eml" if letter.name in drafts else "" for letter in letters],
        "status": [DRAFT if letter.name in drafts else NO_DRAFT + letter.email_check for letter in letters],
    }, columns=list(WRITTEN)).astype(WRITTEN)
    return Batch(folder, rows, drafts)


def _fill(template: Path, jobs: list[tuple[dict, Path]], progress: Progress) -> None:
    """Fill the template once for each (context, output), on several cores when there are many."""
    workers = min(os.cpu_count() or 1, WORKERS)
    if len(jobs) < POOLED or workers == 1:
        progress.advance(_fill_some(jobs, Filler(template)))
        return
    size = -(-len(jobs) // (workers * 4))  # a few parts per worker: progress moves, and cores finish together
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(template,)) as pool:
        for done in pool.map(_fill_some, [jobs[at:at + size] for at in range(0, len(jobs), size)]):
            progress.advance(done)


_WORKER_FILLER: Filler | None = None
"""The template a worker process fills, read once when it starts."""


def _start_worker(template: Path) -> None:
    global _WORKER_FILLER
    _WORKER_FILLER = Filler(template)


def _fill_some(jobs: list[tuple[dict, Path]], filler: Filler | None = None) -> int:
    for context, output in jobs:
        (filler or _WORKER_FILLER).fill(context, output)
    return len(jobs)
