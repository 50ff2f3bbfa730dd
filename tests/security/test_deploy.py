"""Issue 18, item 14: deployment hardening.

- The SQLite database (and its -wal/-shm files) and backup archives were created with the
  process umask (0644: readable by every local user) although they hold password hashes and
  TOTP secrets: they are 0600.
- ``Cache-Control: no-store`` on signed-in pages and on every API answer (and on every other
  page a view makes), so no browser or proxy cache keeps personal data.
- The OpenAPI schema and the interactive docs are behind sign-in in production
  (``API_DOCS_PUBLIC``, on by default only with DEBUG).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.utils import ConnectionHandler
from django.test import Client, override_settings
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.api.models import ApiToken
from tests.accounts.factories import UserFactory
from tests.security.production import run_with_production_settings

SCHEMA = "/api/v1/openapi.json"
DOCS = "/api/v1/docs"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    """The umask of most services (022: new files readable by everybody)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


# ------------------------------------------------------------------------ file permissions


def _sqlite(path: Path):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            }
        }
    )
    return handler["default"]  # its own handler: not the tests' database


def test_a_new_sqlite_database_and_its_wal_files_are_private(
    tmp_path, usual_umask, django_db_blocker
):
    path = tmp_path / "khuyencong.sqlite3"
    connection = _sqlite(path)
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE secret (value TEXT)")
                cursor.execute("INSERT INTO secret VALUES ('argon2$…')")
            files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
            assert all(file.exists() for file in files)
            modes = {file.name: _mode(file) for file in files}
            assert modes == {file.name: 0o600 for file in files}
        finally:
            connection.close()


def test_an_existing_world_readable_database_is_made_private(
    tmp_path, usual_umask, django_db_blocker
):
    path = tmp_path / "khuyencong.sqlite3"
    sqlite3.connect(path).close()  # as an earlier version left it
    os.chmod(path, 0o644)
    connection = _sqlite(path)
    with django_db_blocker.unblock():
        try:
            connection.ensure_connection()
            assert _mode(path) == 0o600
        finally:
            connection.close()


@pytest.mark.django_db
def test_the_backup_archive_is_private(tmp_path, usual_umask, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backups" / "khuyencong.tar.gz"
    archive.parent.mkdir()
    stale = archive.with_name(archive.name + ".part")  # left by an interrupted run, 0644
    stale.write_bytes(b"old")
    os.chmod(stale, 0o644)
    call_command("backup", "-o", str(archive))
    assert _mode(archive) == 0o600
    assert not stale.exists()


# ------------------------------------------------------------------------ no-store


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored(client):
    client.force_login(UserFactory(role=Role.SYSTEM_ADMIN))
    for url in (reverse("home"), reverse("password_change"), reverse("api:tokens")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), (url, response.get("Cache-Control"))


@pytest.mark.django_db
def test_api_answers_are_not_stored():
    user = UserFactory(role=Role.SYSTEM_ADMIN)
    token = ApiToken.issue(user=user, name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    answer = client.get("/api/v1/me")
    assert answer.status_code == 200
    assert _no_store(answer)
    refused = Client().get("/api/v1/me")
    assert refused.status_code == 401 and _no_store(refused)


@pytest.mark.django_db
def test_public_pages_made_by_views_are_not_stored_either(client):
    for url in (reverse("login"), reverse("contests:verify") + "?number=X-1"):
        assert _no_store(client.get(url)), url


# ------------------------------------------------------------------------ API docs


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=False)
def test_the_api_schema_and_docs_need_a_sign_in_in_production():
    anonymous = Client()
    schema = anonymous.get(SCHEMA)
    assert schema.status_code == 401
    assert "paths" not in schema.json()
    assert "đăng nhập" in schema.json()["detail"][0]["msg"]
    docs = anonymous.get(DOCS)
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    # a bad token opens nothing
    assert Client(headers={"Authorization": "Bearer kc_x_y"}).get(SCHEMA).status_code == 401

    user = UserFactory(role=Role.CENTRE_STAFF)
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.get(SCHEMA).json()["info"]["title"] == "Khuyến công API"
    assert signed_in.get(DOCS).status_code == 200
    token = ApiToken.issue(user=user, name="schema")[1]
    with_token = Client(headers={"Authorization": f"Bearer {token}"})
    assert with_token.get(SCHEMA).status_code == 200


@pytest.mark.django_db
@override_settings(API_DOCS_PUBLIC=True)
def test_the_api_docs_can_be_made_public():
    assert Client().get(SCHEMA).status_code == 200
    assert Client().get(DOCS).status_code == 200


def test_api_docs_are_private_by_default_in_production_settings(tmp_path):
    code = "from django.conf import settings\nprint(settings.API_DOCS_PUBLIC)"
    assert run_with_production_settings(code, tmp_path).split() == ["False"]
