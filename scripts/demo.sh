#!/usr/bin/env bash
# Quick start 1: install what ardesk needs and run the main job on the embedded demo ERP.
# Ends with the path of the aging workbook it wrote. Installs the ODBC drivers when missing, and ardesk into
# $ARDESK_VENV (default .venv) on the first run or when setup.py changed; later runs start the demo at once.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install $ODBC_PACKAGES
quiet_psqlodbc
venv_install -e "$ROOT"
cd "$ROOT"
"$VENV/bin/ardesk" demo "$@"
