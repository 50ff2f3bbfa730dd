"""The interactive API docs (/api/v1/docs) work under the strict Content-Security-Policy: the
page runs no inline script and loads only vendored static files (no CDN). The browser test in
tests/e2e/test_api_docs.py checks that Swagger UI really renders with no CSP violation."""

from __future__ import annotations

import json
import re

import lxml.html
from django.conf import settings
from django.contrib.staticfiles import finders

DOCS = "/api/v1/docs"


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def _vendored(url: str) -> bool:
    """A URL of this site's static files, found in the app's static folders."""
    if not url.startswith(settings.STATIC_URL):
        return False
    return finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0]) is not None


def test_the_policy_allows_no_inline_script_or_style(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], policy[directive]
    assert "'unsafe-eval'" not in policy.get("default-src", [])


def test_the_docs_page_needs_no_inline_script_and_loads_only_vendored_files(client):
    page = lxml.html.fromstring(client.get(DOCS).content)
    scripts = page.findall(".//script")
    assert scripts
    for script in scripts:
        src = script.get("src")
        if src:
            assert _vendored(src), src
            assert not (script.text or "").strip()
        else:  # a data block: never executed, so the policy allows it
            assert script.get("type") == "application/json"
            json.loads(script.text)
    for link in page.findall(".//link"):
        assert _vendored(link.get("href", "")), link.get("href")
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag != "style"
        assert "style" not in element.attrib, element.tag
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    # no other host anywhere (the CSRF token is random text: look for addresses, not "cdn")
    content = client.get(DOCS).content.decode()
    assert "//cdn" not in content.lower() and not re.search(r"https?://", content)


def test_the_docs_read_the_schema_of_this_site(client):
    page = lxml.html.fromstring(client.get(DOCS).content)
    config = json.loads(page.get_element_by_id("swagger-settings").text)
    assert config["url"] == "/api/v1/openapi.json"
    schema = client.get(config["url"])
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Khuyến công API"


def test_the_docs_lead_back_to_the_app_in_the_users_language(client):
    client.cookies["django_language"] = "vi"
    page = lxml.html.fromstring(client.get(DOCS).content)
    back = page.get_element_by_id("back-to-app")
    assert back.get("href") == "/"
    assert back.text_content().strip() == "← Về ứng dụng"
    client.cookies["django_language"] = "en"
    page = lxml.html.fromstring(client.get(DOCS).content)
    assert page.get_element_by_id("back-to-app").text_content().strip() == "← Back to the app"
