"""SQLite: an FTS5 trigram index over the beneficiaries' search text.

The SQLite counterpart of 0004 (PostgreSQL's GIN trigram index): ``core.search`` looks words
of three characters or more up in this table instead of scanning 1,000,000 rows with
``LIKE '%word%'`` (docs/performance.md). External content (the text stays in the register
table), kept by triggers, so every write path keeps it: the ORM, the spreadsheet import's
``executemany``, the benchmark's bulk load. Existing rows are indexed here ("rebuild").
Nothing on PostgreSQL.
"""

from django.db import migrations


TABLE = "beneficiaries_beneficiary"
FTS_TABLE = "beneficiaries_beneficiary_fts"


# The SQL as it was written when this migration was made (core.search no longer has it).
def sqlite_trigram_index(table: str, column: str, fts_table: str) -> list[str]:
    """SQL creating ``fts_table``: an FTS5 trigram index over ``table.column`` (external
    content: the text is not copied), kept by triggers on insert, update and delete, and
    filled with the rows already there. For a migration that runs on SQLite only."""
    return [
        f"CREATE VIRTUAL TABLE {fts_table} USING fts5({column}, content='{table}', "
        "content_rowid='id', tokenize='trigram')",
        *(
            f"CREATE TRIGGER {name} {body}"
            for name, body in _triggers(table, column, fts_table).items()
        ),
        f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')",
    ]


def _triggers(table: str, column: str, fts_table: str) -> dict[str, str]:
    new = f"INSERT INTO {fts_table}(rowid, {column}) VALUES (new.id, new.{column});"
    old = (
        f"INSERT INTO {fts_table}({fts_table}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column});"
    )
    return {
        f"{fts_table}_insert": f"AFTER INSERT ON {table} BEGIN {new} END",
        f"{fts_table}_delete": f"AFTER DELETE ON {table} BEGIN {old} END",
        f"{fts_table}_update": f"AFTER UPDATE OF {column} ON {table} BEGIN {old} {new} END",
    }


def drop_sqlite_trigram_index(fts_table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in _triggers("t", "c", fts_table)] + [
        f"DROP TABLE IF EXISTS {fts_table}"
    ]


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
