"""Shared test set-up.

- Unit tests run in transactions on a test database that gets the administrative units once
  per session (``django_db_setup`` below); catalogs come from their data migration.
- Passwords are hashed with a fast hasher in tests (production uses Argon2).
- Browser tests (marker ``e2e``) and the other tests that commit (marker ``transactional``:
  threads, migrations) run in their own pytest invocation (see Makefile) because the live
  server needs a flushed, transactional database and the flush after them empties every
  table; they reload what they need per test (a run of browser tests only skips the
  session-wide load below).
"""

from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    if all(
        item.get_closest_marker("e2e") or item.get_closest_marker("transactional")
        for item in request.session.items
    ):
        return  # a browser-test run: each test flushes the database and loads what it needs
    from khuyencong.places.loader import load_admin_units

    with django_db_blocker.unblock():
        load_admin_units()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2 costs ~0.1 s a hash by design; tests hash a lot of passwords."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded files (dossiers, documents, the demo's photos) never land in the repository."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: reference choice lists kept by an earlier test
    (``core.choices``) may name rows its rolled-back transaction removed."""
    from django.core.cache import cache

    cache.clear()
