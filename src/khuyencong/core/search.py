"""One way to search without diacritics, whatever the database.

Models that are searched keep a ``search_text`` column holding ``normalize()`` of their
searchable fields; a query is normalised the same way and every word must appear
(``search_text LIKE '%word%'``).

That filter scans the table. A model may name an index that answers it without a scan:
``search_indexes = {"search_text": "<fts table>"}``, an SQLite FTS5 table with the trigram
tokenizer over the column, created by ``sqlite_trigram_index()`` in a migration (PostgreSQL
has its GIN trigram index on the column itself, which serves ``LIKE`` directly). On SQLite,
words of three characters or more are then looked up in that table (a trigram index finds
any substring of at least one trigram); shorter words keep the ``LIKE`` filter. The matches
are the same rows either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.db.models import QuerySet

from khuyencong.core.text import normalize

MAX_WORDS = 10
TRIGRAM = 3
INDEX_ROWID = "search_index_rowid"


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    words = essential_words(normalize(query).split()[:MAX_WORDS])
    table = _fts_table(queryset, field)
    if table:
        indexed = [word for word in words if len(word) >= TRIGRAM]
        if indexed:
            queryset = _join_fts(queryset, table, fts_query(indexed))
            words = [word for word in words if len(word) < TRIGRAM]
    for word in words:
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


def essential_words(words: list[str]) -> list[str]:
    """The words whose filters are not implied by another's: a word repeated, or found inside
    another word, matches wherever that word does ("che bien che" is "che bien", "ma may" is
    "may"). The same rows with a filter fewer each; on PostgreSQL a filter fewer also makes
    the planner's estimate of the matches closer ("che bien che" counted in the national
    register with a short scan instead of the trigram index's bitmap: docs/performance.md)."""
    unique = list(dict.fromkeys(words))
    return [word for word in unique if not any(word != other and word in other for other in unique)]


def _join_fts(queryset: QuerySet, table: str, match: str) -> QuerySet:
    """Rows of ``queryset`` whose index entry matches: a join on the FTS table (not an
    ``IN (…)`` list, which SQLite would build in full before reading the first row), with
    its rowid selected as ``INDEX_ROWID`` so that ``order_by()`` below can sort on it."""
    meta = queryset.model._meta
    own = f'"{meta.db_table}"."{meta.pk.column}"'
    # identifiers of our own models only; the query itself is a parameter
    return queryset.extra(
        select={INDEX_ROWID: f'"{table}".rowid'},
        tables=[table],
        where=[f'"{table}".rowid = {own}', f'"{table}" MATCH %s'],
        params=[match],
    )


def order_by(queryset: QuerySet, *fields: str) -> QuerySet:
    """``queryset.order_by(*fields)``, where "pk" / "-pk" sort on the search index's rowid
    when the rows come through it: the same order, which SQLite then reads from the index
    as it goes (a page of a common word costs a millisecond instead of sorting every match).
    """
    if INDEX_ROWID in queryset.query.extra_select:
        fields = tuple(
            {"pk": INDEX_ROWID, "-pk": f"-{INDEX_ROWID}"}.get(field, field) for field in fields
        )
    return queryset.order_by(*fields)


def read_in_index_order(queryset: QuerySet) -> list:
    """The rows of a sliced, ``order_by()``-ed search whose matches are known to be many
    (past the count cap: at least one row in a thousand), read as the order's index walks.

    SQLite reads them so through the FTS join (``order_by`` above). PostgreSQL estimates
    several ``LIKE '%word%'`` filters as independent, so a few matches, and builds the
    trigram index's bitmap of every match, then sorts them all for 25 rows ("may tre dan",
    40,000 matches at national scale; docs/performance.md). With bitmap scans off for this one
    query (the trigram index has no other use) it walks the order's index and stops at the
    page: past the cap at least one row in a thousand matches, so the first page lies within
    26,000 rows of the walk (a few hundred for the common words), and a page n n times as
    far.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_bitmapscan = off")
        try:
            return list(queryset)
        finally:  # SET LOCAL would outlive this query in a request's outer transaction
            cursor.execute("RESET enable_bitmapscan")


def is_searched(query: str | None) -> bool:
    """Whether ``query`` filters anything (holds a word once normalised)."""
    return bool(normalize(query).split())


def fts_query(words: list[str]) -> str:
    """Every word as an FTS5 string (a phrase): quotes doubled, nothing else is syntax in it."""
    return " AND ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def _fts_table(queryset: QuerySet, field: str) -> str | None:
    table = getattr(queryset.model, "search_indexes", {}).get(field)
    if table and connections[queryset.db].vendor == "sqlite":
        return table
    return None


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


def restore_sqlite_trigram_triggers(using: str = "default", **kwargs: Any) -> list[str]:
    """Recreate lost triggers of the models' FTS tables and re-index (post_migrate).

    Django's SQLite schema editor alters a table by copying it into a new one and dropping
    the old: the triggers go with it, and the index would silently stop following writes.
    After every ``migrate`` this puts them back and rebuilds the index from the table.
    Returns the FTS tables repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {(kind, name) for kind, name in cursor.fetchall()}
        for model in apps.get_models():
            for column, fts_table in getattr(model, "search_indexes", {}).items():
                if ("table", fts_table) not in existing:
                    continue  # its migration is not applied (yet)
                triggers = _triggers(model._meta.db_table, column, fts_table)
                missing = [name for name in triggers if ("trigger", name) not in existing]
                for name in missing:
                    cursor.execute(f"CREATE TRIGGER {name} {triggers[name]}")
                if missing:
                    cursor.execute(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')")
                    repaired.append(fts_table)
    return repaired


@contextmanager
def sqlite_trigram_index_filled_after(model: Any, using: str = "default") -> Iterator[None]:
    """Rows inserted inside the block are indexed once at its end, not one by one.

    For a bulk insert of many rows (the spreadsheet import): the FTS table's insert trigger
    feeds the index a row at a time (most of the time of such an insert on SQLite); here it is
    dropped, the rows inserted inside (rowid above the largest before: SQLite has one writer)
    go into the index with one ``INSERT … SELECT`` of the same values the trigger inserts,
    and the trigger is recreated from its own SQL. All in one transaction (a savepoint inside
    the caller's): if anything fails, the rollback brings the trigger back with the rest.
    Only inserts may happen inside (an update of a row not yet indexed would corrupt the
    index). Nothing on other databases, or when the trigger is missing (then the index
    follows no insert anyway: ``restore_sqlite_trigram_triggers``).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    table = model._meta.db_table
    with transaction.atomic(using=using), connection.cursor() as cursor:
        deferred = []
        for column, fts_table in getattr(model, "search_indexes", {}).items():
            name = f"{fts_table}_insert"
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name]
            )
            found = cursor.fetchone()
            if found is not None:
                deferred.append((column, fts_table, name, found[0]))
        if deferred:
            cursor.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"')
            (before,) = cursor.fetchone()
            for _column, _fts_table, name, _sql in deferred:
                cursor.execute(f"DROP TRIGGER {name}")
        yield
        for column, fts_table, _name, sql in deferred:
            cursor.execute(
                f"INSERT INTO {fts_table}(rowid, {column}) "
                f'SELECT rowid, "{column}" FROM "{table}" WHERE rowid > %s ORDER BY rowid',
                [before],
            )
            cursor.execute(sql)


def drop_sqlite_trigram_index(fts_table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in _triggers("t", "c", fts_table)] + [
        f"DROP TABLE IF EXISTS {fts_table}"
    ]
