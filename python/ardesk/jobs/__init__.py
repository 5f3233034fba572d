"""One function per user action. Both front doors run these: the `ardesk` command (ardesk.cli.commands) and the
AR Desk ribbon (ardesk.excel.buttons), each from a table of its own.

Every job has one shape, `job(handle, settings, as_of, progress, **what_the_person_asked) -> result`:
- `handle`: the workbook it works on (ardesk.handle: a file for the command, the open workbook for the ribbon),
  None for an action on no workbook. A job that rewrites the workbook does so inside `handle.released()`.
- `settings`: resolved once by the front door (ardesk.settings.resolve); a job never re-reads them.
- `as_of`: the day the action is for (never the clock inside a job).
- `progress`: ardesk.progress.Progress, what the job is doing in words and counts.
The result is data (a path, a frame, a small result object); the words shown to people are the front doors'.

The jobs live in modules by what they work on, so that a command imports only what it uses.
"""
