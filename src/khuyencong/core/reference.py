"""Reference data every installation needs (catalogs, dated rule rows), in one place.

Each app that ships reference data has an idempotent seeder that creates missing rows only (an
admin's edits are kept) and is called by the app's data migration. ``seed_reference_data()``
runs them all again: after a test flush (browser tests), and from ``load_demo``.
Add a new seeder here, in dependency order.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from khuyencong.core import choices

SEEDERS = [
    "khuyencong.catalog.seed.seed_catalogs",
    "khuyencong.projects.seed.seed_advance_caps",
    "khuyencong.core.holidays.seed_public_holidays",
    "khuyencong.contests.seed.seed_contest_rules",
]


def seed_reference_data() -> None:
    with transaction.atomic():
        for path in SEEDERS:
            import_string(path)()
        choices.invalidate()  # a seeder may write without a signal (bulk_create)
