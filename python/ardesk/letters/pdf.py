"""Word documents to PDF: every letter of a run in one LibreOffice (headless) batch.

One `soffice --convert-to pdf` with all the files pays LibreOffice's start (about 2 s) once instead of per letter.
It runs with a private user profile in a folder of its own, so two runs at once (two collectors, a scheduled run)
neither share a profile nor wait for each other, and a LibreOffice someone has open is left alone.
"""
import tempfile
from pathlib import Path

from ardesk.errors import ArdeskError
from ardesk.programs import program, run

SECONDS_PER_LETTER = 0.5
"""The time a batch is allowed, per letter, beyond START_SECONDS: generous (about 0.06 s a letter here)."""
START_SECONDS = 120


def to_pdf(documents: list[Path], folder: Path) -> list[Path]:
    """Convert `documents` (.docx) to PDFs in `folder`, in one LibreOffice run; returns the PDFs, in order."""
    if not documents:
        return []
    soffice = program("soffice", "libreoffice-writer-nogui", "writing letters as PDF")
    with tempfile.TemporaryDirectory(prefix="ardesk-letters-") as profile:
        run([soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={Path(profile).as_uri()}",
             "--convert-to", "pdf", "--outdir", str(folder), *map(str, documents)],
            "LibreOffice could not turn the letters into PDFs", START_SECONDS + SECONDS_PER_LETTER * len(documents))
    written = [folder / f"{document.stem}.pdf" for document in documents]
    missing = [pdf.name for pdf in written if not pdf.is_file()]
    if missing:
        raise ArdeskError(f"LibreOffice wrote no {missing[0]} ({len(missing)} of {len(written)} PDFs missing): check "
                          "that libreoffice-writer-nogui is installed and the template opens in Word.")
    return written
