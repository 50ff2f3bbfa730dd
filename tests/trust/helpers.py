"""Helpers of the generic trust tests: row-count fingerprints, requests undone afterwards,
response bodies, and reaching a route's URL for a world record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse

from khuyencong.accounts import roles
from khuyencong.trust.access import scoped_record
from tests.trust.routes import PUBLIC, SIGNED_IN, Pattern, Route

LOGOUT_ROUTES = {"logout", "admin:logout"}


def recorded_models() -> list[type[models.Model]]:
    """Every table of the project's apps (historical tables and the audit trail included)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("khuyencong.")
        and not model._meta.proxy
        and model._meta.managed
    ]


def fingerprint() -> dict[str, int]:
    """Row counts per table (one query): a write of any kind adds an audit row."""
    tables = [(m._meta.label, m._meta.db_table) for m in recorded_models()]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(table)}" for index, (_l, table) in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(cursor.fetchall())
    return {label: counts[index] for index, (label, _t) in enumerate(tables)}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


@contextmanager
def undone() -> Iterator[None]:
    """Runs the block in a savepoint that is rolled back: each request starts from the same
    world, whatever the previous one did."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def body(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        # consuming the test client's wrapper closes the response without closing the
        # database connection (closing it ourselves would, on PostgreSQL)
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def is_denial(response: HttpResponse) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return "/login/" in location


def expected_allowed(route: Route, user: Any, obj: Any) -> bool:
    if route.permission == PUBLIC:
        return True
    if user is None:
        return False
    if route.permission == SIGNED_IN:
        return True
    if route.allow is not None:
        return route.allow(user, obj)
    scoped = scoped_record(obj) if obj is not None else None
    return roles.check(user, route.permission, scoped).allowed


_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _admin_object_id(pattern: Pattern) -> str:
    """The id of a stored row of the model an admin URL is about ("1" if none)."""
    name = pattern.name.removeprefix("admin:")
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) or pattern.route.startswith(
            f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        ):
            pk = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(pk) if pk is not None else "1"
    return "1"


def admin_url(pattern: Pattern) -> str:
    """A URL for an admin pattern: a stored row for object pages (non-admins are refused
    before the row is looked up)."""
    stored = _admin_object_id(pattern)
    samples = {
        "object_id": stored,
        "pk": stored,
        "content_type_id": "1",
        "app_label": "projects",
        "url": "x/",
    }
    if not pattern.name.endswith("<unnamed>"):
        try:
            return reverse(pattern.name, kwargs={k: samples.get(k, "1") for k in pattern.kwargs})
        except NoReverseMatch:
            pass
    return _CONVERTER.sub(lambda m: samples.get(m["name"], "1"), pattern.route).replace("^", "")


def route_url(route: Route, world: Any, side: str) -> str:
    return reverse(route.name, kwargs=route.url_kwargs(world, side)) + route.url_query(world, side)
