"""Shared test set-up.

- Unit tests run in transactions on a test database that gets the administrative units once
  per session (``django_db_setup`` below); catalogs come from their data migration.
- Browser tests (marker ``e2e``) run in their own pytest invocation (see Makefile) because the
  live server needs a flushed, transactional database; they reload what they need per test.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from khuyencong.places.loader import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()
