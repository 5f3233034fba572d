"""Packaging for ardesk.

The SQL, add-in sources and workbook specs live at the top of the repository (sql/, xladdin/, workbooks/)
where people look for them; they are shipped inside the package as ardesk.sql, ardesk.xladdin and
ardesk.workbooks so that `pip install .` carries them and importlib.resources finds them.
"""
from setuptools import find_packages, setup

DATA_DIRS = {"ardesk.sql": "sql", "ardesk.xladdin": "xladdin", "ardesk.workbooks": "workbooks"}

setup(
    name="ardesk",
    version="0.1.0",
    description="Accounts-receivable collections inside Excel: ERP over ODBC, aging, workbooks.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    package_dir={"": "python", **DATA_DIRS},
    packages=find_packages("python") + list(DATA_DIRS),
    package_data={name: ["**/*"] for name in DATA_DIRS},
    include_package_data=True,
    install_requires=[
        "pandas>=2.2",
        "numpy>=1.26",
        "openpyxl==3.1.5",
        "pyodbc>=5.1",
        "arrow-odbc>=8",
        "pyarrow>=15",
        "sqlglot>=25",
        "rich>=13",
        "platformdirs>=4",
        "keyring>=24",
        "xlwings>=0.30",
        "lxml>=5",
        "email-validator>=2.1",
        "docxtpl>=0.18",
        "rapidfuzz>=3.6",
        "filelock>=3.12",
        "pywin32>=306; sys_platform == 'win32'",
    ],
    extras_require={"test": ["pytest>=8", "pytest-xdist>=3.5", "hypothesis>=6.100", "oletools==0.60.2", "olefile==0.47",
                             "openxml-audit==0.8.0", "aiosmtpd>=1.4"]},
    entry_points={"console_scripts": ["ardesk = ardesk.cli:command"]},
)
