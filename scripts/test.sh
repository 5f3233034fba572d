#!/usr/bin/env bash
# Quick start 2: install what the tests need, make sure the database servers answer, and run the whole test
# suite (two pytest workers, the slowest 15 tests listed at the end; see pytest.ini). Extra arguments go to pytest.
#
# On a test machine (Debian/Ubuntu, as root) this changes the machine, and says so as it does:
#   - apt-get installs what is missing: ODBC drivers, PostgreSQL, MariaDB, LibreOffice Calc and Writer, poppler-utils;
#   - sets CommLog=0 for psqlODBC in /etc/odbcinst.ini;
#   - starts PostgreSQL and MariaDB when they are down;
#   - PostgreSQL: adds "host all postgres 127.0.0.1/32 trust" to the top of pg_hba.conf, so that user postgres
#     logs in over 127.0.0.1 without a password;
#   - MariaDB: lets root log in over 127.0.0.1 (and localhost) without a password.
#
# On a developer laptop, with servers of your own (e.g. containers publishing 127.0.0.1:5432 and :3306, started
# with POSTGRES_HOST_AUTH_METHOD=trust and MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1), set ARDESK_TEST_SERVERS=existing:
# the servers are neither installed, started nor reconfigured, only checked. ARDESK_VENV names the venv to use
# (default .venv in the repository).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_answers() { psql -h 127.0.0.1 -U postgres -w -tAc "SELECT 1" postgres >/dev/null 2>&1; }
mariadb_answers() { mariadb -h 127.0.0.1 -uroot -e "SELECT 1" >/dev/null 2>&1; }

if [ "${ARDESK_TEST_SERVERS:-}" = existing ]; then
  apt_install $ODBC_PACKAGES postgresql-client mariadb-client libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils
  quiet_psqlodbc
  pg_answers || { echo "PostgreSQL does not let user postgres in over 127.0.0.1:5432 without a password" >&2; exit 1; }
  mariadb_answers || { echo "MariaDB does not let root in over 127.0.0.1:3306 without a password" >&2; exit 1; }
else
  apt_install $ODBC_PACKAGES postgresql mariadb-server libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils
  quiet_psqlodbc

  if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  fi
  if ! pg_answers; then
    hba="$(su postgres -c "psql -tAc 'SHOW hba_file'")"
    say "PostgreSQL: adding 'host all postgres 127.0.0.1/32 trust' to $hba (user postgres, no password, test machine)"
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -tAc 'SELECT pg_reload_conf()'" >/dev/null
  fi

  if ! mariadb-admin ping >/dev/null 2>&1; then
    say "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  if ! mariadb_answers; then
    say "MariaDB: letting root log in over 127.0.0.1 and localhost without a password (test machine)"
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
                       CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';
                       GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
  fi
fi

venv_install -e "$ROOT[test]"
cd "$ROOT"
set +e
"$VENV/bin/python" -m pytest "$@"
status=$?
[ $status -eq 5 ] && { echo "no tests ran" >&2; exit 1; }
exit $status
