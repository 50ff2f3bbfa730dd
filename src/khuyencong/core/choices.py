"""Choice lists of reference data (administrative units, catalogs) kept between requests.

A select over reference data (the list pages' filter forms list about 150 units and catalog
entries) costs a query and a model instance per entry on every page. ``cached_choices`` keeps
the rendered (value, label) pairs in the cache, keyed by the query's SQL, the language and a
generation number that every save of a reference record bumps (at once, and again when its
transaction commits, so no list read meanwhile outlives the change). With a cache shared by
the workers (Redis, ``REDIS_URL``) a change shows at once everywhere; with the default
per-process cache other workers see it within ``TIMEOUT``. Only the rendering reads the cache:
validating a submitted choice always queries the database.

Compiling a query's SQL for its key cost up to 0.7 ms a list (the districts' with their path),
five lists a project list page: each worker keeps the SQL of the queries it has compiled,
looked up by the query's pickled state (which names everything the SQL is compiled from,
and costs a twentieth of compiling). A query's state changes once when a query sharing its
parts is first compiled (Django caches on the parts), so a query may be compiled twice.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.forms.models import ModelChoiceField
from django.utils.translation import get_language

REFERENCE_APPS = frozenset({"places", "catalog"})
GENERATION_KEY = "kc:choices:generation"
TIMEOUT = 300  # seconds
KEPT_SQL = 512  # the compiled SQL a worker keeps (least recently used dropped first)

_sql_by_state: OrderedDict[bytes, str] = OrderedDict()
_sql_lock = threading.Lock()


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 0, timeout=None)


def bump(**_kwargs: Any) -> None:
    """A reference record was saved: every kept choice list is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, or a fresh cache): start over
        cache.set(GENERATION_KEY, 1, timeout=None)


def saved(sender: Any, **_kwargs: Any) -> None:
    """``post_save`` receiver: bump now and when the transaction commits."""
    if sender._meta.app_label in REFERENCE_APPS:
        bump()
        transaction.on_commit(bump)


def _sql(queryset: Any) -> str:
    """The queryset's SQL, compiled once per worker for each state of its query."""
    try:
        state = pickle.dumps((queryset.db, queryset.query), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a query that does not pickle
        return str(queryset.query)
    with _sql_lock:
        sql = _sql_by_state.get(state)
        if sql is not None:
            _sql_by_state.move_to_end(state)
            return sql
    sql = str(queryset.query)
    with _sql_lock:
        _sql_by_state[state] = sql
        if len(_sql_by_state) > KEPT_SQL:
            _sql_by_state.popitem(last=False)
    return sql


def _key(field: ModelChoiceField) -> str | None:
    try:
        sql = _sql(field.queryset)
    except EmptyResultSet:  # .none(): nothing worth keeping
        return None
    text = "|".join(
        (sql, str(field.empty_label), field.to_field_name or "pk", get_language() or "",
         f"{type(field).__module__}.{type(field).__qualname__}", str(generation()))
    )  # fmt: skip
    return "kc:choices:" + hashlib.sha256(text.encode()).hexdigest()


def cached_choices(field: ModelChoiceField) -> None:
    """Make ``field`` render its choices from the cache when its queryset is over reference
    data (looked at when the choices are read: some forms set the queryset later); any other
    queryset is iterated as before."""
    base = field.iterator

    class CachedIterator(base):  # type: ignore[valid-type,misc]
        rows: list[tuple[Any, str]] | None = None

        def _kept(self) -> bool:
            return self.queryset.model._meta.app_label in REFERENCE_APPS

        def _rows(self) -> list[tuple[Any, str]]:
            if self.rows is None:  # once per iterator (a widget asks for its length too)
                key = _key(self.field)
                rows = cache.get(key) if key else None
                if rows is None:
                    rows = [
                        (getattr(value, "value", value), str(label))
                        for value, label in super().__iter__()
                    ]
                    if key:
                        cache.set(key, rows, timeout=TIMEOUT)
                self.rows = rows
            return self.rows

        def __iter__(self) -> Any:
            return iter(self._rows()) if self._kept() else super().__iter__()

        def __len__(self) -> int:
            return len(self._rows()) if self._kept() else super().__len__()

        def __bool__(self) -> bool:
            return bool(self._rows()) if self._kept() else super().__bool__()

    field.iterator = CachedIterator
    field.widget.choices = field.choices  # the widget took its iterator with the queryset
