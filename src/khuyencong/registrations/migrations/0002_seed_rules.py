"""Seed the eligibility rules, support levels, uplifts, excluded products, priority and
appraisal criteria (legal notes §1–§3). Calls the same idempotent ``seed_rules()`` that browser
tests call after a flush; it never changes a row that exists."""

from django.db import migrations


def seed(apps, schema_editor):
    from khuyencong.registrations.seed import seed_rules

    seed_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0001_initial"),
        ("catalog", "0003_seed_catalogs"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
