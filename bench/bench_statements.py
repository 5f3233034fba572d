"""Statements benchmark (issue 16): statements of account for every customer of the 1,500-customer demo ERP.

1. The .docx statements: `ardesk statements --all --format docx` as the job runs it (read the open items and
   contacts, age them, fill the Word template for every customer, write an e-mail draft for each good address),
   median of several runs; target < 15 s.
2. The PDFs: those .docx files turned into PDFs by LibreOffice (ardesk.letters.pdf.to_pdf: batches of 200
   letters, as many side by side as there are cores, up to 4; one command cannot take more than about 250
   files), median of several runs; target < 2 min.

The demo ERP is an SQLite file built once under its own name (ardesk_statements_1500) and kept for the next run
(--rebuild builds it again).

    .venv/bin/python bench/bench_statements.py --runs 3
"""
import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bench_spine import AS_OF, demo_database

from ardesk.jobs.statements import statements
from ardesk.letters.pdf import to_pdf
from ardesk.settings import ErpSettings, LettersSettings, Settings

DOCX_SECONDS, PDF_SECONDS = 15.0, 120.0


def cpu_seconds() -> float:
    """User and system CPU time of this process and of the children it waited for (workers, LibreOffice): what a
    run costs whatever else the machine is doing, where the wall clock of a shared machine is noisy."""
    return sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for field in ("ru_utime", "ru_stime"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument("--rebuild", action="store_true", help="build the demo ERP again")
    args = parser.parse_args()
    connect = demo_database("sqlite", args.customers, args.rebuild, f"ardesk_statements_{args.customers}")
    settings = Settings(erp=ErpSettings(connect=connect), letters=LettersSettings(
        remit_to=("EPIC06 Inc.", "PO Box 1234", "Chicago, IL 60601"), sender="ar@epic06.example.com"))
    docx, pdf, docx_cpu, pdf_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            start, spent = time.perf_counter(), cpu_seconds()
            done = statements(None, settings, AS_OF, output=folder, kept="docx")
            docx.append(time.perf_counter() - start)
            docx_cpu.append(cpu_seconds() - spent)
            documents = sorted(folder.glob("*.docx"))
            start, spent = time.perf_counter(), cpu_seconds()
            to_pdf(documents, folder)
            pdf.append(time.perf_counter() - start)
            pdf_cpu.append(cpu_seconds() - spent)
            print(f"  run {run + 1}: {len(documents):,} statements, {int((done.letters['draft'] != '').sum()):,} "
                  f"drafts: .docx {docx[-1]:.1f} s ({docx_cpu[-1]:.1f} s CPU), PDFs {pdf[-1]:.1f} s "
                  f"({pdf_cpu[-1]:.1f} s CPU); load average {os.getloadavg()[0]:.1f}")
    print(f"{args.customers:,} customers, {len(documents):,} statements, median of {args.runs}: "
          f".docx {statistics.median(docx):.1f} s, {statistics.median(docx_cpu):.1f} s CPU (target < "
          f"{DOCX_SECONDS:.0f} s); PDFs by LibreOffice {statistics.median(pdf):.1f} s, {statistics.median(pdf_cpu):.1f} s "
          f"CPU (target < {PDF_SECONDS:.0f} s); {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
