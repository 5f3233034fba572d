"""Word documents to PDF: the letters of a run in LibreOffice (headless) batches, not one LibreOffice per letter.

One `soffice --convert-to pdf` with many files pays LibreOffice's start (about 2 s) once instead of per letter.
LibreOffice takes at most about 250 files per command (measured with 7.4: it stopped after the 246th of 300 and
exited 0 as if done), so a run is cut into batches of BATCH letters, converted side by side on the computer's
cores (at most PARALLEL at once). Each batch runs with a private user profile in a folder of its own, so
batches, two runs at once (two collectors, a scheduled run) and a LibreOffice someone has open never share a
profile or wait for each other.
"""
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ardesk.errors import ArdeskError
from ardesk.programs import program, run

BATCH = 200
"""Letters per LibreOffice command: under the about 250 files it converts at most."""
PARALLEL = 4
SECONDS_PER_LETTER = 1.0
"""The time a batch is allowed per letter beyond START_SECONDS: generous (0.1 to 0.3 s a letter here)."""
START_SECONDS = 120


def to_pdf(documents: list[Path], folder: Path) -> list[Path]:
    """Convert `documents` (.docx) to PDFs in `folder`; returns the PDFs, in order."""
    if not documents:
        return []
    soffice = program("soffice", "libreoffice-writer-nogui", "writing letters as PDF")
    batches = [documents[start:start + BATCH] for start in range(0, len(documents), BATCH)]
    with ThreadPoolExecutor(max_workers=min(len(batches), os.cpu_count() or 1, PARALLEL)) as pool:
        list(pool.map(lambda batch: _convert(soffice, batch, folder), batches))
    written = [folder / f"{document.stem}.pdf" for document in documents]
    missing = [pdf.name for pdf in written if not pdf.is_file()]
    if missing:
        raise ArdeskError(f"LibreOffice wrote no {missing[0]} ({len(missing)} of {len(written)} PDFs missing): check "
                          "that libreoffice-writer-nogui is installed and the template opens in Word.")
    return written


def _convert(soffice: str, batch: list[Path], folder: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="ardesk-letters-") as profile:
        run([soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={Path(profile).as_uri()}",
             "--convert-to", "pdf", "--outdir", str(folder), *map(str, batch)],
            "LibreOffice could not turn the letters into PDFs", START_SECONDS + SECONDS_PER_LETTER * len(batch))
