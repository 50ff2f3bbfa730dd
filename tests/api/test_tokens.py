"""API tokens: shown once, stored hashed, revocable; the page under the user menu."""

from __future__ import annotations

import hashlib

from khuyencong.api.models import ApiToken
from tests.api.conftest import ApiClient


def test_a_token_is_stored_hashed_and_authenticates(leader):
    token, raw = ApiToken.issue(user=leader, name="script")
    secret = raw.split("_", 2)[2]
    assert raw.startswith(f"kc_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.secret_hash
    assert ApiToken.authenticate(raw) == token
    assert ApiToken.authenticate(raw + "x") is None
    assert ApiToken.authenticate(f"kc_{token.prefix}_wrong") is None
    assert ApiToken.authenticate("garbage") is None


def test_a_revoked_token_is_refused_with_a_vietnamese_401(leader):
    token, raw = ApiToken.issue(user=leader, name="script")
    client = ApiClient(raw)
    assert client.get("/me").status_code == 200
    token.revoke()
    response = client.get("/me")
    assert response.status_code == 401
    detail = response.json()["detail"][0]
    assert detail["type"] == "auth"
    assert "mã truy cập" in detail["msg"].lower() or "Đăng nhập" in detail["msg"]


def test_use_is_recorded(leader):
    token, raw = ApiToken.issue(user=leader, name="script")
    assert token.last_used_at is None
    ApiClient(raw).get("/me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_page_shows_a_new_token_once_and_revokes(client, leader):
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    created = client.post("/api/tokens/", {"name": "Tập lệnh nhập liệu"})
    assert created.status_code == 302 and created["Location"] == "/api/tokens/"
    response = client.get("/api/tokens/")
    raw = response.context["created"]
    assert raw and raw.encode() in response.content
    assert "no-store" in response["Cache-Control"].split(", ")
    token = ApiToken.objects.get(user=leader)
    assert ApiToken.authenticate(raw) == token
    again = client.get("/api/tokens/")
    assert raw.encode() not in again.content  # shown once
    assert "api_new_token" not in client.session
    assert f"kc_{token.prefix}_".encode() in again.content
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.is_revoked
    assert ApiToken.authenticate(raw) is None


def test_a_user_cannot_revoke_someone_elses_token(client, leader, staff):
    token, _raw = ApiToken.issue(user=staff, name="theirs")
    client.force_login(leader, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked


def test_docs_are_served_without_any_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/projects/{project_id}/events" in schema["paths"]
