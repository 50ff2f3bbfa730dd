"""One way to search without diacritics, whatever the database.

Models that are searched keep a ``search_text`` column holding ``normalize()`` of their
searchable fields; a query is normalised the same way and every word must appear.
"""

from __future__ import annotations

from django.db.models import QuerySet

from khuyencong.core.text import normalize


def search(queryset: QuerySet, query: str | None, field: str = "search_text") -> QuerySet:
    words = normalize(query).split()
    for word in words[:10]:
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
