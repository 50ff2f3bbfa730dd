"""Seed the catalogs (funding sources, beneficiary kinds, industries, content areas, legal bases).

Calls the same idempotent ``seed_catalogs()`` that browser tests call after a flush.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from khuyencong.catalog.seed import seed_catalogs

    seed_catalogs(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_validity_confirmed_notes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
