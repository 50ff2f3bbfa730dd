"""Province isolation, table-driven: every URL (from the URL resolver) × every role × records
of province A (two districts, two owners) and province B.

For each request: the status is what the permission table says (``roles.check`` with the
record, or the route's ``allow``) — a page, or 403/404 (a sign-in redirect for anonymous
users), never data; and the body shows no text of a record the role may not read (the world's
independent oracle), whatever the status. A refused POST changes no row. List pages show the
records of the user's scope (``shows``) and nothing else.
"""

from __future__ import annotations

import pytest

from tests.trust.conftest import client_for
from tests.trust.helpers import (
    LOGOUT_ROUTES,
    admin_url,
    body,
    changed,
    expected_allowed,
    fingerprint,
    is_denial,
    route_url,
    undone,
)
from tests.trust.routes import ROUTES, discover, hint, unregistered, walked
from tests.trust.world import KINDS, ROLES, SIDES, marker

pytestmark = pytest.mark.django_db

FIGURES: dict[str, int] = {}


def test_every_url_is_registered():
    patterns = discover()
    missing = unregistered(patterns)
    assert not missing, "URLs the isolation walk does not know:\n" + "\n".join(
        hint(p) for p in missing
    )
    names = {p.name for p in patterns}
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"registered routes that no URL pattern has any more: {stale}"


def test_routes_left_out_of_a_test_say_why():
    silent = [r.name for r in ROUTES.values() if not r.fuzz and not r.note]
    assert not silent, f"routes with fuzz=False need a note saying why: {silent}"


def test_every_route_kind_has_a_factory():
    unknown = {r.name: r.obj for r in ROUTES.values() if r.obj and r.obj not in KINDS}
    assert not unknown, f"routes naming an unregistered world object kind: {unknown}"


def _check_response(world, role, route_name, label, response, text, problems):
    for kind, side, secret in world.forbidden_texts(role):
        if secret.lower() in text.lower():
            problems.append(
                f"{role} {label}: {response.status_code} shows {kind} of side {side} ({secret})"
            )


@pytest.mark.parametrize("role", ROLES)
def test_each_route_allows_exactly_its_scope(world, role):
    world.make_all()
    user = world.users[role]
    client = client_for(world, role)
    problems: list[str] = []
    checked = 0
    for _pattern, route in walked():
        for side in SIDES if route.obj else ("A",):
            obj = world.obj(route.obj, side) if route.obj else None
            url = route_url(route, world, side)
            label = f"{route.method.upper()} {url} ({route.name}, side {side})"
            allowed = expected_allowed(route, user, obj)
            if allowed and route.obj and not world.may_read(role, route.obj, side):
                problems.append(f"{role} {label}: the permission table lets it through")
            caller = client_for(world, role) if route.name in LOGOUT_ROUTES else client
            with undone():
                before = fingerprint() if route.method == "post" else None
                if route.method == "post":
                    response = caller.post(url, route.post_data(world, side))
                else:
                    response = caller.get(url)
                text = body(response)
                after = fingerprint() if route.method == "post" else None
            checked += 1
            status = response.status_code
            if allowed and status not in route.expected_ok():
                problems.append(f"{role} {label}: expected {route.expected_ok()}, got {status}")
            if not allowed:
                if not is_denial(response):
                    problems.append(f"{role} {label}: expected 403/404, got {status}")
                if before is not None and changed(before, after):
                    problems.append(f"{role} {label}: refused but wrote {changed(before, after)}")
            _check_response(world, role, route.name, label, response, text, problems)
            if route.check is not None:
                problems.extend(
                    f"{role} {label}: {problem}"
                    for problem in route.check(world, role, side, response, text)
                )
            if allowed and status == 200 and route.shows:
                for kind in route.shows:
                    for shown_side in SIDES:
                        expected = marker(shown_side, kind)
                        listed = world.may_list(role, world.obj(kind, shown_side))
                        if listed and expected not in text:
                            problems.append(f"{role} {label}: does not list {expected}")
    FIGURES[role] = checked
    print(f"\nisolation: {role}: {checked} requests checked")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_system_administrators_only(world, role):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    world.make_all()
    TOTPDevice.objects.create(user=world.users["national"], name="phone", confirmed=False)
    client = client_for(world, role)
    problems = []
    checked = 0
    for pattern in discover():
        if not pattern.name.startswith("admin:"):
            continue
        url = admin_url(pattern)
        if pattern.name == "admin:logout":
            response = client_for(world, role).post(url)
            assert response.status_code in (200, 302)
            continue
        with undone():
            response = client.get(url)
            text = body(response)
        checked += 1
        if pattern.name == "admin:login":
            ok = response.status_code in (200, 302)
        elif role == "admin":
            ok = response.status_code < 500
        else:
            ok = is_denial(response)
        if not ok:
            problems.append(f"{role} GET {url} ({pattern.name}): {response.status_code}")
        _check_response(world, role, pattern.name, url, response, text, problems)
    print(f"\nisolation (admin site): {role}: {checked} requests checked")
    assert not problems, "\n".join(problems)
