"""The trust walks for the REST API (/api/v1/): every operation, found through the URL resolver
(so a new operation cannot escape) and registered in tests/api/trust_routes.py, called the way
its clients call it — JSON bodies, GET/POST/PATCH, an API token per role.

- isolation: every operation × every role × records of province A (two districts, two owners)
  and province B: allowed exactly as the permission table says, refused with 401/403/404
  (a create naming a record outside the caller's area: 400 on that field) and nothing
  written, no text of a record the role may not read, lists show the role's scope;
- no lost edits: every write on a record carries the version read; a stale one is refused
  with 409, a Vietnamese message, and nothing written;
- bad input (hypothesis): hostile values in every field of every write give a 4xx with a
  Vietnamese message and write nothing, never a server error;
- the audit trail records the token's user as the actor of an API write.
"""

from __future__ import annotations

import json
import os
import re
import traceback
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from khuyencong.api.main import api
from khuyencong.api.models import ApiToken
from tests.trust.conftest import media_root, world  # noqa: F401 - the trust walks' fixtures
from tests.trust.helpers import (
    body,
    changed,
    expected_allowed,
    fingerprint,
    route_url,
    undone,
)
from tests.trust.routes import ROUTES, Route, discover, load_registrations, walked
from tests.trust.world import ROLES, SIDES, marker

pytestmark = pytest.mark.django_db

load_registrations()

API = "api-v1:"
WRITES = ("post", "patch", "put", "delete")
# Vietnamese letters: a message in Vietnamese has some (an English msgid left untranslated
# has none).
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE
)
EXAMPLES = int(os.environ.get("TRUST_FUZZ_EXAMPLES", "10"))


class TokenClient:
    """A client calling the API with a role's bearer token (none for anonymous)."""

    def __init__(self, token: str | None):
        self.client = Client(REMOTE_ADDR="203.0.113.8", HTTP_USER_AGENT="trust-api-tests")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def send(self, method: str, url: str, data: Any = None):
        if method == "get":
            return self.client.get(url, headers=self.headers)
        payload = json.dumps(data if data is not None else {})
        return self.client.generic(
            method.upper(), url, payload, content_type="application/json", headers=self.headers
        )


def clients(walked_world) -> dict[str, TokenClient]:
    """A client per role; the tokens exist before any request is fingerprinted."""
    made = {}
    for role in ROLES:
        user = walked_world.users[role]
        raw = ApiToken.issue(user=user, name="trust walk")[1] if user is not None else None
        made[role] = TokenClient(raw)
    return made


def api_walk() -> list[tuple[Any, Route]]:
    found = list(walked(API))
    if not found and os.environ.get("TRUST_ONLY"):
        pytest.skip("TRUST_ONLY leaves the API out of this run")
    return found


def _messages(response) -> list[str]:
    try:
        detail = response.json().get("detail", [])
    except ValueError:
        return []
    return [str(item.get("msg", "")) for item in detail] if isinstance(detail, list) else []


def _refused_reference(response) -> bool:
    """A create whose body names a record outside the caller's area: 400, each error on a
    body field, "no such … in your area" (as a 404 would say of a record in the URL)."""
    if response.status_code != 400:
        return False
    try:
        detail = response.json().get("detail", [])
    except ValueError:
        return False
    return bool(detail) and all(
        item.get("type") == "invalid_choice" and item.get("loc", [None])[0] == "body"
        for item in detail
    )


def _untranslated(response) -> list[str]:
    messages = _messages(response)
    if not messages:
        return ["(no message)"]
    return [m for m in messages if not VIETNAMESE.search(m)]


# ---------------------------------------------------------------------- discovery


def _schema_operations() -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }


def test_every_operation_is_registered_with_its_method():
    """The resolver's api-v1 patterns and their Routes cover the schema's operations one to
    one: no operation hides behind another's URL name."""
    registered = set()
    for pattern in discover():
        if not pattern.name.startswith(API) or pattern.name.startswith(
            (API + "openapi-", API + "api-root")
        ):
            continue
        route = ROUTES[pattern.name]
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern.route)
        registered.add((path, route.method))
    assert registered == _schema_operations()


# ---------------------------------------------------------------------- isolation


@pytest.mark.parametrize("role", ROLES)
def test_each_operation_allows_exactly_its_scope(world, role):  # noqa: F811
    world.make_all()
    user = world.users[role]
    client = clients(world)[role]
    problems: list[str] = []
    checked = 0
    for pattern, route in api_walk():
        creates = route.method in WRITES and not pattern.kwargs
        for side in SIDES if route.obj else ("A",):
            obj = world.obj(route.obj, side) if route.obj else None
            url = route_url(route, world, side)
            label = f"{route.method.upper()} {url} ({route.name}, side {side})"
            allowed = expected_allowed(route, user, obj)
            if allowed and route.obj and not world.may_read(role, route.obj, side):
                problems.append(f"{role} {label}: the permission table lets it through")
            write = route.method in WRITES
            with undone():
                before = fingerprint() if write else None
                response = client.send(route.method, url, route.post_data(world, side))
                text = body(response)
                after = fingerprint() if write else None
            checked += 1
            status = response.status_code
            if allowed and status not in route.expected_ok():
                problems.append(
                    f"{role} {label}: expected {route.expected_ok()}, got {status} {text[:300]}"
                )
            if not allowed:
                if status not in (401, 403, 404) and not (creates and _refused_reference(response)):
                    problems.append(
                        f"{role} {label}: expected 401/403/404, got {status} {text[:300]}"
                    )
                elif _untranslated(response):
                    problems.append(f"{role} {label}: refusal not in Vietnamese: {text[:200]}")
                if before is not None and changed(before, after):
                    problems.append(f"{role} {label}: refused but wrote {changed(before, after)}")
            for kind, secret_side, secret in world.forbidden_texts(role):
                if secret.lower() in text.lower():
                    problems.append(
                        f"{role} {label}: {status} shows {kind} of side {secret_side} ({secret})"
                    )
            if allowed and status == 200 and route.shows:
                for kind in route.shows:
                    for shown_side in SIDES:
                        expected = marker(shown_side, kind)
                        listed = world.may_list(role, world.obj(kind, shown_side))
                        if listed and expected not in text:
                            problems.append(f"{role} {label}: does not list {expected}")
    print(f"\napi isolation: {role}: {checked} requests checked")
    assert checked, "no API operation walked"
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------- no lost edits


def _record_writes() -> list[Route]:
    """Writes addressed to an existing record (its id in the URL)."""
    return [route for pattern, route in api_walk() if route.method in WRITES and pattern.kwargs]


def test_every_write_on_a_record_carries_the_version(world):  # noqa: F811
    world.make_all()
    missing = [
        route.name
        for route in _record_writes()
        if "version" not in route.post_data(world, "A") and not route.unversioned
    ]
    assert not missing, f"writes on a record without the version read: {missing}"


def test_a_stale_version_is_refused_and_changes_nothing(world):  # noqa: F811
    """The second writer (here: a version that is no longer current) gets 409, the current
    version and a Vietnamese message; nothing is written."""
    world.make_all()
    client = clients(world)["admin"]
    problems = []
    checked = 0
    for route in _record_writes():
        data = route.post_data(world, "A")
        if "version" not in data:
            continue
        current = data["version"]
        data["version"] = current + 1
        url = route_url(route, world, "A")
        with undone():
            before = fingerprint()
            response = client.send(route.method, url, data)
            after = fingerprint()
        checked += 1
        label = f"{route.method.upper()} {url} ({route.name})"
        if response.status_code != 409:
            problems.append(f"{label}: stale version answered {response.status_code}")
            continue
        if response.json().get("current_version") != current:
            problems.append(f"{label}: the answer does not give the current version")
        if _untranslated(response):
            problems.append(f"{label}: message not in Vietnamese: {_messages(response)}")
        if changed(before, after):
            problems.append(f"{label}: refused but wrote {changed(before, after)}")
    assert checked >= 10, "no versioned API write found: is discovery broken?"
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------- bad input

HOSTILE = [
    None,
    "",
    " ",
    "x" * 20_000,
    "\x00",
    "a\x00b\x01c",
    "<script>kqzxss()</script>",
    "' OR '1'='1",
    "{{ 7|add:7 }}",
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    "NaN",
    True,
    [],
    {},
    ["x"],
    {"a": 1},
    "2018-02-30",
    "0000-00-00",
    "9999-12-31",
    "😀" * 50,
]


def fuzz_operation(client, route, url, valid, problems, figures) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def case(data):
        payload: Any = dict(valid)
        for name in valid:
            if data.draw(st.booleans(), label=f"spoil {name}"):
                payload[name] = data.draw(st.sampled_from(HOSTILE), label=name)
        if data.draw(st.integers(0, 9), label="shape") == 0:
            payload = data.draw(st.sampled_from(["", "[]", 7, None, "x" * 100]))
        figures["cases"] += 1
        with undone():
            before = fingerprint()
            try:
                response = client.send(route.method, url, payload)
            except Exception:
                problems.append(f"{route.name}: server error\n{traceback.format_exc(-3)}")
                return
            after = fingerprint()
        status = response.status_code
        shown = str(payload)[:120]
        if status >= 500:
            problems.append(f"{route.name}: {status} with {shown}")
        elif status < 300:
            figures["accepted"] += 1
        else:
            if changed(before, after):
                problems.append(f"{route.name}: refused but wrote {changed(before, after)}")
            untranslated = _untranslated(response)
            if untranslated:
                problems.append(f"{route.name}: {status} not in Vietnamese: {untranslated}")

    case()


def test_hostile_input_is_refused_in_vietnamese_and_writes_nothing(world):  # noqa: F811
    world.make_all()
    client = clients(world)["admin"]
    problems: list[str] = []
    figures = {"cases": 0, "accepted": 0}
    writes = [route for _pattern, route in api_walk() if route.method in WRITES]
    for route in writes:
        fuzz_operation(
            client,
            route,
            route_url(route, world, "A"),
            route.post_data(world, "A"),
            problems,
            figures,
        )
    print(f"\napi bad input: {len(writes)} operations, {figures}")
    assert not problems, "\n".join(problems[:40])


# ---------------------------------------------------------------------- audit trail


def test_an_api_write_records_the_token_and_its_user_as_the_actor(world):  # noqa: F811
    from khuyencong.trust.models import AuditEntry

    project = world.obj("project", "A")
    staff = world.users["centre_staff"]
    client = clients(world)["centre_staff"]
    response = client.send(
        "patch",
        f"/api/v1/projects/{project.pk}",
        {"version": project.version, "expected_results": "Kết quả sửa qua API"},
    )
    assert response.status_code == 200, response.content
    latest = AuditEntry.objects.for_object(project).order_by("-id").first()
    assert latest.changes == [
        {"field": "expected_results", "old": project.expected_results, "new": "Kết quả sửa qua API"}
    ]
    assert latest.user_id == staff.pk and latest.source == "api"
    prefixes = set(ApiToken.objects.filter(user=staff).values_list("prefix", flat=True))
    assert latest.api_token in prefixes  # which token, never its secret
    assert (latest.ip_address, latest.user_agent) == ("203.0.113.8", "trust-api-tests")
