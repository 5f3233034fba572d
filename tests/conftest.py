"""Shared fixtures: real databases through real ODBC drivers.

Each fixture creates its own database and drops it afterwards, so tests never see each other's data.
The servers are the machine's PostgreSQL (127.0.0.1:5432, trust) and MariaDB (127.0.0.1:3306, root with no
password); scripts/test.sh installs and starts them when they are missing or down, and says what it changes.
On a developer laptop with servers of your own listening there (e.g. containers started with
POSTGRES_HOST_AUTH_METHOD=trust and MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1), run
`ARDESK_TEST_SERVERS=existing bash scripts/test.sh`: it then only checks that they answer. ARDESK_VENV names the
venv (default .venv). Tests run in two xdist workers (pytest.ini); the database names are unique per fixture.
"""
import uuid

import pyodbc
import pytest

PG_ADMIN = "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=postgres;Uid=postgres"
MARIADB_ADMIN = "DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=3306;Uid=root"


def _fresh_name() -> str:
    return "ardesk_t_" + uuid.uuid4().hex[:12]


@pytest.fixture
def sqlite_erp(tmp_path):
    """Connection string of a new, empty SQLite database file."""
    return f"DRIVER={{SQLite3}};Database={tmp_path / 'erp.sqlite'};Timeout=2000"


@pytest.fixture
def postgres_erp():
    """Connection string of a new, empty PostgreSQL database, dropped after the test."""
    name = _fresh_name()
    admin = pyodbc.connect(PG_ADMIN, autocommit=True)
    admin.execute(f"CREATE DATABASE {name}")
    yield f"DRIVER={{PostgreSQL Unicode}};Server=127.0.0.1;Port=5432;Database={name};Uid=postgres"
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", name
    )
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.close()


@pytest.fixture
def mariadb_erp():
    """Connection string of a new, empty MariaDB database, dropped after the test."""
    name = _fresh_name()
    admin = pyodbc.connect(MARIADB_ADMIN, autocommit=True)
    admin.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    yield f"DRIVER={{MariaDB Unicode}};Server=127.0.0.1;Port=3306;Database={name};Uid=root"
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.close()


@pytest.fixture(params=["sqlite", "postgres", "mariadb"])
def any_erp(request):
    """Each of the three databases in turn: (kind, connection string)."""
    return request.param, request.getfixturevalue(f"{request.param}_erp")
