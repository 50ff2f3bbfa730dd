"""Seed the advance cap (tạm ứng) as dated data, marked as far as legal-notes.md confirms it.

- TTLT 26/2014/TTLT-BTC-BCT Art. 8(2)(b): total advances may not exceed 70 % of the support
  before acceptance. legal-notes §2.2 marks the rule [READ] -> confirmed.
- TT 28/2018/TT-BTC replaced TTLT 26/2014; the 70 % is "believed still 70 %" [UNCONFIRMED,
  seen only in prototype code comments] -> confirmed = False.
The in-force dates (4/4/2014 for TTLT 26/2014, 15/5/2018 for TT 28/2018) are not in
legal-notes.md: they are from memory and flagged in the rows' notes.
The code lives in projects/seed.py (browser tests re-seed after a flush).
"""

from django.db import migrations

from khuyencong.projects.seed import seed_advance_caps


def seed(apps, schema_editor):
    seed_advance_caps(apps)


def unseed(apps, schema_editor):
    pass  # data stays: domain records are never hard-deleted


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("catalog", "0003_seed_catalogs"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
