from __future__ import annotations

from pathlib import Path

import pytest


def e2e_selected(config: pytest.Config) -> bool:
    markexpr = config.getoption("markexpr") or ""
    return "e2e" in markexpr and "not e2e" not in markexpr


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The live server flushes the database after each browser test: they run only under
    # ``pytest -m e2e`` (scripts/run_tests.sh runs them in their own invocation).
    if e2e_selected(config):
        return
    skip = pytest.mark.skip(reason="browser test: run with pytest -m e2e")
    here = Path(__file__).parent
    for item in items:
        if "e2e" in item.keywords and here in item.path.parents:
            item.add_marker(skip)
