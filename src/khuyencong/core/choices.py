"""Choice lists of reference data (administrative units, catalogs) kept between requests.

A select over reference data (the list pages' filter forms list about 150 units and catalog
entries) costs a query and a model instance per entry on every page. ``cached_choices`` keeps
the rendered (value, label) pairs in the configured cache (``CACHES``), keyed by everything
that decides them: the query's SQL and parameters (compiled once per worker and query
state: ``_query_sql``), the label function, the empty label, the value field, the language,
and a generation number that every write to a reference table bumps (``invalidate``).

Every write path invalidates: a model's save or delete (signals: admin, catalog pages,
services), the bulk writers that send no signal (``places.loader``, the seeders) by an
explicit ``invalidate()``, and every migration (``post_migrate``). ``invalidate`` bumps at once
and again when the transaction commits, so no list read meanwhile outlives the change. With a
cache shared by the workers (Redis, ``REDIS_URL``) a change shows at once everywhere; with
the default per-process cache other workers see it within ``TIMEOUT``. Only the rendering
reads the cache: validating a submitted choice always queries the database.
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
TIMEOUT = 300  # seconds: how stale another worker's per-process cache may be


def generation() -> int:
    return int(cache.get_or_set(GENERATION_KEY, 0, timeout=None) or 0)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted, or a fresh cache): start over
        cache.set(GENERATION_KEY, 1, timeout=None)


def invalidate(using: str | None = None) -> None:
    """Reference data was written: every kept choice list is stale, now and at commit.

    Writers that send no model signal (``bulk_create``, ``bulk_update``, ``update()``) must
    call it themselves."""
    _bump()
    transaction.on_commit(_bump, using=using)


def reference_changed(sender: Any, using: str | None = None, **_kwargs: Any) -> None:
    """``post_save``/``post_delete`` receiver: invalidate when a reference record changed."""
    if sender._meta.app_label in REFERENCE_APPS:
        invalidate(using)


def migrated(using: str | None = None, **_kwargs: Any) -> None:
    """``post_migrate`` receiver: a migration may have written reference data in bulk."""
    invalidate(using)


def _label_identity(field: ModelChoiceField) -> str | None:
    """What names the field's label function, or None when its code does not name its output
    (a closure, default arguments, a callable object, a method bound to another object)."""
    label = field.label_from_instance
    bound_to = getattr(label, "__self__", None)
    if bound_to is not None and bound_to is not field:
        return None
    function = getattr(label, "__func__", label)
    code = getattr(function, "__code__", None)
    if code is None or any(
        getattr(function, name, None) for name in ("__closure__", "__defaults__", "__kwdefaults__")
    ):
        return None
    return f"{function.__module__}.{function.__qualname__}:{code.co_firstlineno}"


KEPT_SQL = 512  # compiled queries a worker remembers (least recently used dropped first)
_sql_by_state: OrderedDict[bytes, str] = OrderedDict()
_sql_lock = threading.Lock()


def _query_sql(queryset: Any) -> str | None:
    """The queryset's SQL with its parameters (what decides its rows), compiled once per
    worker for each state of its query: looked up by the query's pickled state, a twentieth
    of the cost of compiling (five lists a list page). A query's pickled state changes once
    when Django first compiles a query sharing its parts, so it may be compiled twice; the
    key stays the SQL, the same whichever state compiled it. None: nothing to keep."""
    if queryset.query.is_empty():  # .none(): nothing worth keeping
        return None
    try:
        state = pickle.dumps((queryset.db, queryset.query), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a query that does not pickle
        state = None
    if state is not None:
        with _sql_lock:
            sql = _sql_by_state.get(state)
            if sql is not None:
                _sql_by_state.move_to_end(state)
                return sql
    try:
        compiled, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    sql = f"{queryset.db}|{compiled}|{params!r}"
    if state is not None:
        with _sql_lock:
            _sql_by_state[state] = sql
            if len(_sql_by_state) > KEPT_SQL:
                _sql_by_state.popitem(last=False)
    return sql


def _key(field: ModelChoiceField) -> str | None:
    """The cache key of the field's list, or None when it is not worth or safe to keep."""
    queryset = field.queryset
    label = _label_identity(field)
    if label is None or queryset is None:
        return None
    query = _query_sql(queryset)
    if query is None:
        return None
    text = "|".join(
        (query, label, str(field.empty_label), field.to_field_name or "pk", get_language() or "",
         f"{type(field).__module__}.{type(field).__qualname__}", str(generation()))
    )  # fmt: skip
    return "kc:choices:" + hashlib.sha256(text.encode()).hexdigest()


def cached_choices(field: ModelChoiceField) -> None:
    """Make ``field`` render its choices from the cache when its queryset is over reference
    data (looked at when the choices are read: some forms set the queryset or the label
    function later); any other queryset is iterated as before."""
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
