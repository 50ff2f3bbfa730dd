"""Reference data every installation needs (catalogs, dated rule rows), in one place.

Each app that ships reference data has an idempotent seeder that creates missing rows only (an
admin's edits are kept) and is called by the app's data migration. ``seed_reference_data()``
runs them all again: after a test flush (browser tests), and from ``load_demo``.
Add a new seeder here, in dependency order.
"""

from __future__ import annotations

from django.db import transaction

from khuyencong.catalog.seed import seed_catalogs
from khuyencong.contests.seed import seed_contest_rules
from khuyencong.core import choices
from khuyencong.core.holidays import seed_public_holidays
from khuyencong.deadlines.seed import seed_obligation_rules
from khuyencong.projects.seed import seed_advance_caps

SEEDERS = [
    seed_catalogs,
    seed_advance_caps,
    seed_public_holidays,
    seed_contest_rules,
    seed_obligation_rules,
]


def seed_reference_data() -> None:
    with transaction.atomic():
        for seed in SEEDERS:
            seed()
        choices.invalidate()  # a seeder may write without a signal (bulk_create)
