from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.places.factories import UserFactory


def e2e_selected(config: pytest.Config) -> bool:
    markexpr = config.getoption("markexpr") or ""
    return "e2e" in markexpr and "not e2e" not in markexpr


def pytest_configure(config: pytest.Config) -> None:
    # Playwright's sync API runs an event loop in the test thread; Django must be told that
    # its synchronous calls there are fine (browser runs only).
    if e2e_selected(config):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The live server flushes the database after each browser test, which would empty the
    # session's units for the unit tests: browser tests here run only under ``pytest -m e2e``.
    if e2e_selected(config):
        return
    skip = pytest.mark.skip(reason="browser test: run with pytest -m e2e")
    here = Path(__file__).parent
    for item in items:
        if "e2e" in item.keywords and here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture
def staff_client(client, db):
    """A signed-in extension-centre officer (``places.view``)."""
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
