"""PostgreSQL: a trigram index on the beneficiaries' search text.

The registry search (``core.search``: every word must appear, ``search_text LIKE '%word%'``)
scanned the whole table: 1,000,000 beneficiaries at national scale (docs/performance.md). A
GIN trigram index answers ``LIKE '%…%'`` without a scan. pg_trgm is a trusted extension
(PostgreSQL 13+): the database owner may create it. Where it cannot be created the search
still works, unindexed. Nothing on SQLite (no trigram indexes).
"""

import logging

from django.db import DatabaseError, migrations, transaction

INDEX = "beneficiary_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logging.getLogger(__name__).warning("pg_trgm unavailable, search unindexed: %s", error)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON beneficiaries_beneficiary "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0003_history_origin")]

    operations = [migrations.RunPython(create, drop)]
