"""The API docs (Swagger UI, vendored from django-ninja) render in a real browser under the
strict Content-Security-Policy: no CSP violation, the operations are listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_under_the_content_security_policy(page: Page, demo_site):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(f"{demo_site}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Khuyến công API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_docs_lead_back_to_the_app(page: Page, demo_site):
    page.context.add_cookies([{"name": "django_language", "value": "vi", "url": demo_site}])
    page.goto(f"{demo_site}/api/v1/docs")
    back = page.locator("#back-to-app")
    expect(back).to_have_text("← Về ứng dụng")
    back.click()
    page.wait_for_url(lambda url: "/api/" not in url)
    assert "/api/v1/docs" not in page.url
