"""Fault injection for tests: make one step of a service fail midway, and check that nothing
of the half-done work stays. Usable by any app's tests (reports, imports, transitions):

    with nothing_written(), failing(ProjectEvent.objects, "create"):
        with pytest.raises(DatabaseError):
            services.project_transition(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.db import DatabaseError

from tests.trust.helpers import changed, fingerprint


class InjectedFault(DatabaseError):
    """What ``failing`` raises: a database error, as a full disk or a lost connection would."""


@contextmanager
def failing(target: Any, attribute: str, *, after: int = 0, error: Exception | None = None):
    """Patch ``target.attribute`` so that its call number ``after + 1`` raises ``error``
    (an ``InjectedFault`` by default); the calls before it run normally."""
    original = getattr(target, attribute)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == after + 1:
            raise error or InjectedFault(f"injected fault in {attribute}")
        return original(*args, **kwargs)

    with mock.patch.object(target, attribute, wrapper):
        yield calls


@contextmanager
def nothing_written() -> Iterator[None]:
    """Asserts that no table of the project gained or lost a row in the block (the audit
    trail included, so an update leaves a trace too)."""
    before = fingerprint()
    yield
    difference = changed(before, fingerprint())
    assert not difference, f"half-written records left behind: {difference}"
