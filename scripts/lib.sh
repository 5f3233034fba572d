# Shared by scripts/demo.sh and scripts/test.sh: idempotent set-up steps for a Debian/Ubuntu machine (as root).
# Each step that changes the machine says so before it does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ARDESK_VENV:-$ROOT/.venv}"
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1

ODBC_PACKAGES="unixodbc odbc-postgresql odbc-mariadb libsqliteodbc tdsodbc"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# apt_install PKG...: installs the packages that are missing (apt-get update once, only when needed).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian registers psqlODBC with CommLog=1, which writes protocol logs to /tmp: switch that off.
quiet_psqlodbc() {
  grep -q '^CommLog=1$' /etc/odbcinst.ini 2>/dev/null || return 0
  say "setting CommLog=0 in /etc/odbcinst.ini (psqlODBC would log every query to /tmp)"
  sed -i 's/^CommLog=1$/CommLog=0/' /etc/odbcinst.ini
}

# venv_install ARGS...: a venv at $VENV with ardesk installed by `pip install ARGS`, only when needed.
# Installing takes about a minute; it is skipped when ardesk is importable from this checkout and setup.py has
# not changed since the last install with the same ARGS (a stamp file in the venv records setup.py's hash).
# Installs are editable, so changes to the code need no reinstall.
venv_install() {
  command -v python3 >/dev/null && python3 -c "import ensurepip, venv" 2>/dev/null || apt_install python3 python3-venv
  [ -x "$VENV/bin/python" ] || { say "python3 -m venv $VENV"; python3 -m venv "$VENV"; }
  local stamp="$VENV/.ardesk-install-$(printf '%s' "$*" | sha256sum | cut -c1-16)"
  local wanted; wanted="$(sha256sum "$ROOT/setup.py" | cut -d' ' -f1)"
  local reason="setup.py changed since the last install"
  if ! ROOT="$ROOT" "$VENV/bin/python" -c "import ardesk, os, sys
sys.exit(not ardesk.__file__.startswith(os.path.join(os.environ['ROOT'], '')))" 2>/dev/null; then
    reason="ardesk is not installed from $ROOT in $VENV"
  elif [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    say "ardesk is installed in $VENV and setup.py is unchanged: not reinstalling"
    return 0
  fi
  say "pip install $* into $VENV ($reason; about a minute)"
  "$VENV/bin/pip" install -q "$@" 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/python" -c "import ardesk" # fail loudly if the install did not work
  echo "$wanted" > "$stamp"
}
