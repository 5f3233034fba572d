"""The Excel add-in (ardesk.xlam), built on any system from the sources in xladdin/.

cfb.py writes the compound file and ovba.py the VBA project inside it, xlam.py assembles the package,
udf_wrappers.py writes the worksheet functions' VBA side, install.py builds the add-in with them and puts it
where Excel finds it.
"""
from ardesk.addin.install import build, install
from ardesk.addin.xlam import build_xlam

__all__ = ["build", "build_xlam", "install"]
