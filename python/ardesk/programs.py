"""The programs ardesk drives (LibreOffice headless, pdftoppm, pdfinfo): found on the PATH, run in their own process
group with a time limit, and every failure said in one sentence that names what was being done.

A program runs in its own process group so that a timeout ends LibreOffice's helper processes too.
"""
import os
import shutil
import signal
import subprocess

from ardesk.errors import ArdeskError


def program(name: str, package: str, needed_for: str) -> str:
    """The path of `name`; an ArdeskError naming the package to install when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise ArdeskError(f"{name} is not installed, and {needed_for} needs it: install the {package} package "
                          f"(apt-get install {package}).")
    return found


def run(command: list[str], failure: str, timeout: float) -> str:
    """`command`'s output; on failure or timeout an ArdeskError starting with `failure`."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ArdeskError(f"{failure}: it did not finish within {timeout:g} seconds.") from None
    if process.returncode != 0:
        reason = (err.strip().splitlines() or [f"exit code {process.returncode}"])[-1]
        raise ArdeskError(f"{failure}: {reason.rstrip('.')}.")
    return out
