"""Browser tests: Playwright (sync API) driving Debian's Chromium against the live server.

Run them alone (`pytest -m e2e`, as `make test` does): each test flushes the database, then
loads the catalogs, the Bắc Kạn administrative units and the demo.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _registry_ui_present() -> bool:
    try:
        reverse("beneficiaries:create")
    except NoReverseMatch:
        return False
    return True


# Tests of the beneficiary registry screens (registry branch): skipped until they exist.
requires_registry = pytest.mark.skipif(
    not _registry_ui_present(), reason="the beneficiary registry UI is not merged yet"
)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_next_to_playwright(request):
    # Playwright's sync API runs an event loop in this thread; Django would then refuse ORM
    # calls made by the test itself (fixtures, assertions) as "async unsafe". Browser runs
    # only: folders importing this fixture (tests/contests) must keep the protection in the
    # unit run.
    if "not e2e" in (request.config.getoption("markexpr") or ""):
        yield
        return
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An English browser: the site must still answer in Vietnamese until the user switches.
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo province on a live server; returns its base URL."""
    from khuyencong.demo.reference import seed_reference_data
    from khuyencong.demo.run import load_demo
    from khuyencong.places.loader import load_admin_units

    seed_reference_data()
    load_admin_units(["Bắc Kạn"])
    load_demo()
    return live_server.url


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
