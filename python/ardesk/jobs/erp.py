"""The ERP itself: ardesk's own tables there, brought up to date."""
import datetime as dt

from ardesk.erp import migrations
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def migrate(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
            dry_run: bool = False) -> migrations.Migration:
    """`ardesk erp migrate`: apply the migration steps the ERP lacks, each recorded with the time and this ardesk
    (`dry_run`: only say which statements would run)."""
    progress.step("Checking ardesk's tables in the ERP")
    return migrations.migrate(settings.erp, dt.datetime.now(), dry_run=dry_run)
