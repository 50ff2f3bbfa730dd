"""No raw code on screen: the demo's pages, walked as each demo role in Vietnamese, show no
snake_case code and no stored choice value ("in_progress", "trade_fair", "planned") in their
visible text: every check, status, kind and rule is shown by its label."""

from __future__ import annotations

import html as html_lib
import re
from collections import deque

import pytest
from django.db import models

pytestmark = pytest.mark.django_db

ROLES = ["canbo", "lanhdao", "htx"]
PAGES_PER_ROLE = 25
SKIPPED = re.compile(r"^/(admin|api|i18n|static|media)/|/export|\.xlsx|\.docx|\.pdf|logout")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
# Visible text that is not a code: none yet; add a word with the reason it is meant to show.
ALLOWED: set[str] = set()
# Pages still showing codes, each with what is left to do; none may be added.
KNOWN_PAGES: dict[str, str] = {}
# Pages a walk of 25 pages may not reach, checked for every role that may open them: the
# audit log (stored values of changed fields) and the catalog lists (codes, English names).
ALWAYS_CHECKED = [
    "/audit/",
    "/catalog/funding-sources/",
    "/catalog/content-areas/",
    "/catalog/industries/",
    "/catalog/beneficiary-kinds/",
    "/catalog/legal-bases/",
]


def choice_values() -> set[str]:
    """Every stored choice value of the project's models (TextChoices), the raw codes."""
    values: set[str] = set()
    stack = list(models.TextChoices.__subclasses__())
    while stack:
        choices = stack.pop()
        stack.extend(choices.__subclasses__())
        if choices.__module__.startswith("khuyencong."):
            values.update(str(value) for value in choices.values if len(str(value)) > 3)
    return values


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style|template|textarea|select)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    return html_lib.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def links(page: str) -> list[str]:
    return [
        html_lib.unescape(href)
        for href in re.findall(r'<a\b[^>]*\bhref="(/[^"#]*)"', page)
        if not SKIPPED.search(href)
    ]


@pytest.fixture(scope="module")
def demo_users(django_db_setup, django_db_blocker):
    from django.db import transaction

    from khuyencong.accounts.models import User
    from khuyencong.demo.run import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield {user.username: user for user in User.objects.filter(username__in=ROLES)}
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", ROLES)
def test_no_page_shows_a_raw_code(client, demo_users, username):
    raw_values = choice_values()
    value_pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(raw_values))) + r")\b")
    client.force_login(demo_users[username], backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = "vi"
    seen: set[str] = set()
    queue = deque(["/", *ALWAYS_CHECKED])
    found: dict[str, set[str]] = {}
    opened: set[str] = set()
    while queue and len(seen) < PAGES_PER_ROLE + len(ALWAYS_CHECKED):
        path = queue.popleft()
        key = re.sub(r"\d+", "N", path.split("?")[0])  # one page of each shape
        if key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened.add(path)
        page = response.content.decode()
        text = visible_text(page)
        codes = (set(SNAKE.findall(text)) | set(value_pattern.findall(text))) - ALLOWED
        if codes and not any(path.startswith(known) for known in KNOWN_PAGES):
            found[path] = codes
        queue.extend(links(page))
    assert len(seen) > 3
    assert set(ALWAYS_CHECKED[1:]) <= opened  # every role reads the catalogs
    if username == "lanhdao":  # the department leader reads the audit log
        assert "/audit/" in opened
    assert found == {}, f"raw codes shown to {username}: {found}"
