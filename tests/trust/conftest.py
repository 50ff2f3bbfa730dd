"""Fixtures of the generic trust tests: the world (records in two provinces, users of every
role), a throw-away MEDIA_ROOT, and a client per role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.trust.routes import load_registrations
from tests.trust.world import build_world

load_registrations()


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    settings.RATELIMIT_ENABLE = False  # the walks and the fuzz post to the same forms often
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media_root):
    return build_world()


def client_for(world, role: str) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="trust-tests")
    user = world.users[role]
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
