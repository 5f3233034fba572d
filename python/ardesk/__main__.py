from ardesk.cli import command

raise SystemExit(command())
