"""SQLite: drop the FTS5 trigram index of 0005 and its triggers.

PostgreSQL is the national-scale database (its GIN trigram index of 0004 stays); SQLite
serves one province, where ``LIKE`` over the register is enough, and keeps no search machinery
of its own (no index that its table rebuilds could silently leave behind). Reversible: going
back recreates and fills the index as 0005 did. Nothing on PostgreSQL.
"""

import importlib

from django.db import migrations

FTS_TABLE = "beneficiaries_beneficiary_fts"
_created = importlib.import_module("khuyencong.beneficiaries.migrations.0005_search_fts_sqlite")


def drop(apps, schema_editor):
    _created.drop(apps, schema_editor)


def create(apps, schema_editor):
    _created.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0008_drop_history_h5")]

    operations = [migrations.RunPython(drop, create)]
