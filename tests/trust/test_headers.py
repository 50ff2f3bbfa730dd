"""Security headers on pages, and templates that a strict CSP can serve: no inline script,
no event-handler attributes, no inline styles, anywhere in the project's templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.trust.conftest import client_for

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "khuyencong"


def directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize(
    "role,url_name",
    [
        ("anonymous", "login"),
        ("admin", "home"),
        ("leader_a", "projects:list"),
        ("admin", "trust:log"),
    ],
)
def test_pages_carry_the_security_headers(world, role, url_name):
    response = client_for(world, role).get(reverse(url_name))
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_session_and_csrf_cookies_are_http_only(client, settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_HTTPONLY and live.CSRF_COOKIE_HTTPONLY
    response = client.get(reverse("login"))
    assert response.cookies["csrftoken"]["httponly"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_htmx_is_told_not_to_inject_styles_or_eval(world):
    html = client_for(world, "admin").get(reverse("home")).content.decode()
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert meta, "base.html must configure htmx through <meta name=htmx-config>"
    assert '"includeIndicatorStyles": false' in meta.group(1)
    assert '"allowEval": false' in meta.group(1)


TEMPLATE_RULES = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script> (use a static file)"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute (on…=)"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on attribute (needs eval)"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute (use a class)"),
    (re.compile(r"<style[\s>]", re.I), "<style> element (use a static CSS file)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
# Documents rendered for files (PDF, DOCX through HTML), never served as web pages.
NOT_PAGES = {"reports/templates/reports/document.html", "reports/templates/reports/_document.html"}


def test_templates_need_no_unsafe_inline():
    offences = []
    templates = sorted(SRC.glob("*/templates/**/*.html"))
    assert len(templates) > 20
    for path in templates:
        relative = path.relative_to(SRC).as_posix()
        if relative in NOT_PAGES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern, problem in TEMPLATE_RULES:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offences.append(f"{relative}:{line}: {problem}: {match.group(0).strip()}")
    assert not offences, "\n".join(offences)
