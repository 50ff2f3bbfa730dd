"""API test set-up: Bắc Kạn users with tokens, a plan with a project, a beneficiary."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from khuyencong.accounts.models import Role
from khuyencong.api.models import ApiToken
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from tests.projects import factories as pf

D = datetime.date


class ApiClient:
    """A test client sending a bearer token and JSON."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def _send(self, method: str, path: str, body: Any):
        return getattr(self.client, method)(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body: Any = None):
        return self._send("post", path, body or {})

    def patch(self, path: str, body: Any):
        return self._send("patch", path, body)


def token_for(user: Any) -> str:
    return ApiToken.issue(user=user, name="test")[1]


@pytest.fixture
def units() -> dict[str, Any]:
    return pf.units()


@pytest.fixture
def leader(db):
    return pf.user(Role.DEPARTMENT_LEADER)


@pytest.fixture
def staff(db):
    return pf.user(Role.CENTRE_STAFF)


@pytest.fixture
def api(leader) -> ApiClient:
    return ApiClient(token_for(leader))


@pytest.fixture
def staff_api(staff) -> ApiClient:
    return ApiClient(token_for(staff))


@pytest.fixture
def beneficiary(units) -> Beneficiary:
    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="cooperative"),
        name="HTX Thành Ngân",
        tax_code="4700123452",
        commune=units["02152"],
    )


@pytest.fixture
def plan(db):
    return pf.make_plan(source_code="local", ceiling=900_000_000, year=2018)


@pytest.fixture
def project(plan):
    return pf.make_project(plan, budget=100_000_000)
