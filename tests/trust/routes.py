"""The registry of routes the generic trust tests walk, and URL discovery.

Every named URL pattern of the project (found through the URL resolver, so a new view cannot
escape) must have a ``Route`` here or in ``tests/<app>/trust_routes.py`` (imported
automatically): it says which permission the page needs, which record its URL points to (a
world object kind, see world.py) and how to call it. An unregistered URL fails
``test_every_url_is_registered`` with the line to add; nothing is skipped silently.

    register(
        Route("projects:detail", "projects.view", obj="project"),   # kwargs {"pk": obj.pk}
        Route("projects:list", "projects.view", shows=("project",)),
        Route("beneficiaries:archive", "beneficiaries.archive", obj="beneficiary",
              method="post"),
    )

Who is expected to get through: ``roles.check(user, permission, record)`` (or ``allow``),
cross-checked against the world's independent oracle (``World.may_read``).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in user


@dataclass(frozen=True)
class Route:
    name: str
    permission: str
    obj: str | None = None
    kwargs: Callable[..., dict[str, Any]] | dict[str, Any] | None = None
    method: str = "get"
    # the query string, or query(world, side) -> str when it names a world record
    query: Callable[..., str] | str = ""
    data: Callable[..., dict[str, Any]] | dict[str, Any] | None = None
    ok: tuple[int, ...] = ()
    # list pages: kinds whose records (those the user may read) the page must show
    shows: tuple[str, ...] = ()
    allow: Callable[[Any, Any], bool] | None = None
    # form pages: the user who fills the form in the fuzz and lost-edit tests
    fuzz_role: str = "admin"
    fuzz_success: tuple[int, ...] = (301, 302, 303)
    # POST forms on a record's page without a version field must say why (lost-edit test)
    unversioned: str = ""
    fuzz: bool = True
    # the text field the lost-edit test changes (default: the first textarea or text input)
    edit_field: str = ""
    # form pages (GET routes): ``data`` adds values the lost-edit test needs on top of the
    # page's initial ones (a decision date the page leaves blank); ``saved(record)`` says where
    # the saved text lands when the form adds a row instead of editing the record's own field
    saved: Callable[[Any], Any] | None = None
    # an extra check of each response: check(world, role, side, response, text) -> problems,
    # e.g. that a dashboard's figures count only the records the role may see
    check: Callable[..., list[str]] | None = None
    note: str = ""
    extra_ok: tuple[int, ...] = field(default=())

    def expected_ok(self) -> tuple[int, ...]:
        if self.ok:
            return self.ok
        return (200,) if self.method == "get" else (200, 301, 302, 303)

    def url_kwargs(self, world: Any, side: str) -> dict[str, Any]:
        obj = world.obj(self.obj, side) if self.obj else None
        if callable(self.kwargs):
            return self.kwargs(world, side, obj)
        if self.kwargs is not None:
            return dict(self.kwargs)
        return {"pk": obj.pk} if obj is not None else {}

    def url_query(self, world: Any, side: str) -> str:
        return self.query(world, side) if callable(self.query) else self.query

    def post_data(self, world: Any, side: str) -> dict[str, Any]:
        if callable(self.data):
            return self.data(world, side, world.obj(self.obj, side) if self.obj else None)
        return dict(self.data or {})


ROUTES: dict[str, Route] = {}
# URL name prefixes handled by a generic rule instead of one Route each (see test_isolation).
GENERIC_PREFIXES = ("admin:",)
# URL name prefixes registered here like any other, but walked by a dedicated test that calls
# them the way their clients do: the REST API (JSON bodies, PATCH, token authentication) by
# tests/api/test_trust_walk.py. The HTML walks below leave them out.
DEDICATED_PREFIXES = ("api-v1:",)


# Every file field ("app.Model.field") -> the route that serves its files after checking the
# user's permission on the record (test_uploads.py: no uploaded file escapes this list).
DOWNLOADS: dict[str, str] = {}


def register_download(field_label: str, route_name: str) -> None:
    DOWNLOADS[field_label] = route_name


def register(*routes: Route) -> None:
    for route in routes:
        if route.name in ROUTES and ROUTES[route.name] != route:
            raise ValueError(f"route {route.name!r} registered twice")
        ROUTES[route.name] = route


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name" ("" when the pattern has no name)
    route: str  # the path, for messages
    kwargs: tuple[str, ...]
    callback: Any


def _walk(patterns: list, namespace: str, prefix: str) -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name or '<unnamed>'}" if namespace else entry.name or ""
            converters = getattr(entry.pattern, "converters", {}) or {}
            regex_groups = tuple(entry.pattern.regex.groupindex)
            yield Pattern(
                name=name,
                route=prefix + str(entry.pattern),
                kwargs=tuple(converters) or regex_groups,
                callback=entry.callback,
            )


def discover() -> list[Pattern]:
    """Every URL pattern of the project, from the resolver."""
    return list(_walk(get_resolver().url_patterns, "", "/"))


def load_registrations() -> dict[str, Route]:
    """The built-in registrations plus every ``tests/<app>/trust_routes.py``."""
    from tests.trust import routes_builtin  # noqa: F401

    tests_dir = Path(__file__).resolve().parent.parent
    for module in pkgutil.iter_modules([str(tests_dir)]):
        if module.ispkg and (tests_dir / module.name / "trust_routes.py").exists():
            importlib.import_module(f"tests.{module.name}.trust_routes")
    return ROUTES


def unregistered(patterns: list[Pattern]) -> list[Pattern]:
    return [
        p
        for p in patterns
        if not p.name or (p.name not in ROUTES and not p.name.startswith(GENERIC_PREFIXES))
    ]


def hint(pattern: Pattern) -> str:
    if not pattern.name:
        return f"{pattern.route}: give this URL pattern a name (path(..., name=...))"
    obj = ', obj="<kind>"' if pattern.kwargs else ""
    return (
        f'{pattern.route} ({pattern.name}): add Route("{pattern.name}", "<permission>"{obj}) '
        "to tests/<app>/trust_routes.py (see tests/trust/routes.py)"
    )


def walked(dedicated: str = "") -> Iterator[tuple[Pattern, Route]]:
    """The discovered URL patterns the generic walks visit, with their registered Route.

    ``TRUST_ONLY=registrations:,events:`` (URL name prefixes) narrows the walks while working on
    some apps; unset — as in CI and ``make test`` — every pattern is walked and an unregistered
    one fails (KeyError here, and ``test_every_url_is_registered`` with the line to add).
    ``dedicated`` (one of DEDICATED_PREFIXES): only that group's patterns, for its own walk;
    by default those groups are left out.
    """
    only = tuple(p for p in os.environ.get("TRUST_ONLY", "").split(",") if p)
    for pattern in discover():
        if pattern.name.startswith(GENERIC_PREFIXES):
            continue
        if dedicated and not pattern.name.startswith(dedicated):
            continue
        if not dedicated and pattern.name.startswith(DEDICATED_PREFIXES):
            continue
        if only and not pattern.name.startswith(only):
            continue
        yield pattern, ROUTES[pattern.name]
