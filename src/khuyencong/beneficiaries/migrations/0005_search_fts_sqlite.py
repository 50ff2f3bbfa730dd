"""SQLite: an FTS5 trigram index over the beneficiaries' search text.

The SQLite counterpart of 0004 (PostgreSQL's GIN trigram index): ``core.search`` looks words
of three characters or more up in this table instead of scanning 1,000,000 rows with
``LIKE '%word%'`` (docs/performance.md). External content (the text stays in the register
table), kept by triggers, so every write path keeps it: the ORM, the spreadsheet import's
``executemany``, the benchmark's bulk load. Existing rows are indexed here ("rebuild").
Nothing on PostgreSQL.
"""

from django.db import migrations

from khuyencong.core.search import drop_sqlite_trigram_index, sqlite_trigram_index

TABLE = "beneficiaries_beneficiary"
FTS_TABLE = "beneficiaries_beneficiary_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in sqlite_trigram_index(TABLE, "search_text", FTS_TABLE):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in drop_sqlite_trigram_index(FTS_TABLE):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0004_search_trigram_index")]

    operations = [migrations.RunPython(create, drop)]
