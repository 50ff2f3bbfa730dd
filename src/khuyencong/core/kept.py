"""Reference records (administrative units, catalogs) kept by each worker between requests.

A page about one project joins ten tables when it reads the project with its place (and the
place's district and province), content area, funding source, plan province and beneficiary
kind; seven of them are reference data, which changes a few times a year. On PostgreSQL the
planning of that join cost more than running it (1.9 ms of 2 ms, national data set).
``attach`` instead sets those related records from the worker's own copy: read once, then
kept until a reference record is saved (``core.choices.generation``, bumped on every save of
one) or for ``TIMEOUT`` seconds at most (a per-process cache does not tell other workers of a
save; a cache shared by the workers, Redis, does at once).

The kept records are shared by the requests of a worker: read them, never change them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from khuyencong.core.choices import REFERENCE_APPS, TIMEOUT, generation

_kept: dict[tuple[str, Any], Model] = {}
_state = {"generation": None, "since": 0.0}
_lock = threading.Lock()


def _fresh() -> None:
    """Forget every kept record after a reference save or ``TIMEOUT`` seconds."""
    now = time.monotonic()
    current = generation()
    with _lock:
        if _state["generation"] != current or now - _state["since"] > TIMEOUT:
            _kept.clear()
            _state.update(generation=current, since=now)


def forget() -> None:
    """Drop every kept record (tests: a rolled-back record's id may come back as another)."""
    with _lock:
        _kept.clear()
        _state.update(generation=None, since=0.0)


def records(model: type[Model], ids: Iterable[Any]) -> dict[Any, Model]:
    """The reference records of ``model`` with these ids (those that exist), by id."""
    label = model._meta.label
    assert model._meta.app_label in REFERENCE_APPS, f"{label} is not reference data"
    found: dict[Any, Model] = {}
    missing = []
    for pk in {pk for pk in ids if pk is not None}:
        record = _kept.get((label, pk))
        if record is None:
            missing.append(pk)
        else:
            found[pk] = record
    if missing:
        for record in model._base_manager.filter(pk__in=missing):
            found[record.pk] = _kept[(label, record.pk)] = record
    return found


def attach(objects: Iterable[Model], *paths: str) -> None:
    """Like ``select_related(*paths)`` for the reference records along each path (its other
    steps must be loaded already): ``attach([project], "place__parent__parent",
    "plan__funding_source")`` sets ``project.place``, its parent and grandparent, and
    ``project.plan.funding_source`` without a query once they are kept."""
    _fresh()
    objects = [obj for obj in objects if obj is not None]
    for path in paths:
        level = objects
        for name in path.split("__"):
            if not level:
                break
            field = level[0]._meta.get_field(name)
            target = field.related_model
            if target._meta.app_label not in REFERENCE_APPS:  # loaded by the query
                level = [getattr(obj, name) for obj in level]
            else:
                found = records(target, (getattr(obj, field.attname) for obj in level))
                attached = []
                for obj in level:
                    record = found.get(getattr(obj, field.attname))
                    if record is not None:  # else left to load (or fail) as Django would
                        setattr(obj, name, record)
                        attached.append(record)
                level = attached
            level = [obj for obj in level if obj is not None]
