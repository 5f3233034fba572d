"""The Excel add-in (ardesk.xlam), built on any system from the sources in xladdin/.

cfb.py writes the compound file and ovba.py the VBA project inside it, xlam.py assembles the package,
install.py puts it where Excel finds it, and ribbon.py pairs each ribbon button with its job.
"""
from ardesk.addin.install import install
from ardesk.addin.xlam import build_xlam

__all__ = ["build_xlam", "install"]
