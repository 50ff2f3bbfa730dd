"""One way to search without diacritics, whatever the database.

Models that are searched keep a ``search_text`` column holding ``normalize()`` of their
searchable fields; a query is normalised the same way and every word must appear
(``search_text LIKE '%word%'``). On PostgreSQL (production, national scale) a GIN trigram
index on the column serves ``LIKE`` directly; SQLite (one province, development, tests)
scans, which is enough at a province's size.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet

from khuyencong.core.text import normalize

MAX_WORDS = 10


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    for word in essential_words(normalize(query).split()[:MAX_WORDS]):
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


def read_in_index_order(queryset: QuerySet) -> list:
    """The rows of a sliced, ``order_by()``-ed search whose matches are known to be many
    (past the count cap: at least one row in a thousand), read as the order's index walks.

    PostgreSQL estimates
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
