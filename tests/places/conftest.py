from __future__ import annotations

import pytest

from tests.places.factories import UserFactory


@pytest.fixture
def staff_client(client, db):
    """A signed-in extension-centre officer (``places.view``)."""
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
