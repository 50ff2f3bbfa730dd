"""``manage.py recover_imports``: mark failed the imports whose worker died (no sign of life
for IMPORT_STALE_AFTER seconds); e.g. from cron, or when the worker starts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from khuyencong.spreadsheets.tasks import recover_stale_jobs


class Command(BaseCommand):
    help = "Mark failed the import jobs left checking or committing by a worker that died."

    def handle(self, *args: Any, **options: Any) -> None:
        count = recover_stale_jobs()
        self.stdout.write(_("%(count)s stale import jobs marked failed.") % {"count": count})
