"""The browser fixtures of tests/e2e (Chromium, locale, live demo site), for the product
vote's browser test in this folder."""

from tests.e2e.conftest import (  # noqa: F401
    _allow_orm_next_to_playwright,
    browser_context_args,
    browser_type_launch_args,
    demo_site,
    screenshot,
)
