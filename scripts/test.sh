#!/usr/bin/env bash
# Quick start 2: install what the tests need (ODBC drivers, PostgreSQL, MariaDB, LibreOffice), start the
# database servers if they are down, and run the whole test suite. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install $ODBC_PACKAGES postgresql mariadb-server libreoffice-calc-nogui poppler-utils
quiet_psqlodbc

# PostgreSQL on 127.0.0.1:5432, user postgres without a password (trust for local TCP, as on this kind of machine).
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  say "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
if ! psql -h 127.0.0.1 -U postgres -w -tAc "SELECT 1" postgres >/dev/null 2>&1; then
  say "allowing user postgres over 127.0.0.1 without a password (test machine)"
  hba="$(su postgres -c "psql -tAc 'SHOW hba_file'")"
  sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  su postgres -c "psql -tAc 'SELECT pg_reload_conf()'" >/dev/null
fi

# MariaDB on 127.0.0.1:3306, root without a password.
if ! mariadb-admin ping >/dev/null 2>&1; then
  say "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 60); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
if ! mariadb -h 127.0.0.1 -uroot -e "SELECT 1" >/dev/null 2>&1; then
  say "allowing root over 127.0.0.1 without a password (test machine)"
  mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
                     CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';
                     GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
fi

venv_install -e "$ROOT[test]"
cd "$ROOT"
set +e
"$VENV/bin/python" -m pytest "$@"
status=$?
[ $status -eq 5 ] && { echo "no tests ran" >&2; exit 1; }
exit $status
