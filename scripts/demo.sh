#!/usr/bin/env bash
# Quick start 1: install what ardesk needs and run the main job on the embedded demo ERP.
# Ends with the path of the aging workbook it wrote.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install $ODBC_PACKAGES
quiet_psqlodbc
venv_install "$ROOT"
cd "$ROOT"
"$VENV/bin/ardesk" demo "$@"
