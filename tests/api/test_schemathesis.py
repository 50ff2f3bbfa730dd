"""Schema-driven testing: schemathesis generates requests for every operation of the live
OpenAPI schema and sends them to the WSGI app, authenticated with a province user's token.

Every response must be a non-5xx answer whose status code, content type and body conform to
the schema. One pytest test per operation (so xdist spreads them); positive and negative
examples per operation are bounded (SCHEMATHESIS_EXAMPLES, default 12) to keep the suite
within its time budget. The number of cases run is printed at the end (``-s`` shows it).

schemathesis' own pytest plugin (``from_fixture``/``parametrize``) does not run under pytest 9
(it reads ``node._nodeid``), so the operations are driven through Hypothesis directly.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from khuyencong.accounts.models import Role
from khuyencong.api.main import api
from tests.api.conftest import token_for
from tests.projects import factories as pf

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CASES = {"count": 0}
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI app must not close the test's connection
    (PostgreSQL: the test runs in a transaction on it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def live_schema(db, units, keep_connection):
    from django.core.wsgi import get_wsgi_application

    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.catalog.models import BeneficiaryKind

    plan = pf.make_plan(source_code="local", ceiling=900_000_000, year=2018)
    project = pf.make_project(plan, budget=100_000_000)
    beneficiary = Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="household"),
        name="Hộ kinh doanh Thử",
        commune=units["02152"],
    )
    from tests.registrations import factories as rf

    registration = rf.registration()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # Positive examples address records that exist (in the user's scope), so they reach the
    # services; negative examples get whatever path parameters schemathesis makes up.
    schema.existing_ids = {
        "project_id": project.pk,
        "plan_id": plan.pk,
        "beneficiary_id": beneficiary.pk,
        "unit_id": units["02152"].pk,
        "registration_id": registration.pk,
    }
    return schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms_to_the_schema(live_schema, method, path, mode):
    headers = {"Authorization": f"Bearer {token_for(pf.user(Role.DEPARTMENT_LEADER))}"}
    operation = live_schema[path][method]
    names = [p.name for p in operation.path_parameters]
    fixed = {
        name: live_schema.existing_ids[name] for name in names if name in live_schema.existing_ids
    }
    if mode == GenerationMode.POSITIVE and fixed and set(fixed) == set(names):
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    else:
        strategy = operation.as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        CASES["count"] += 1
        if (
            mode == GenerationMode.POSITIVE
            and isinstance(case.body, dict)
            and "version" in case.body
        ):
            # the version the client read: reach the rules instead of the 409 on every write
            current = current_version(case.path_parameters or {})
            if current is not None:
                case.body["version"] = current
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if os.environ.get("SCHEMATHESIS_DEBUG"):
            print(method, path, mode, response.status_code)

    run()


def current_version(path_parameters: dict) -> int | None:
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.plans.models import Plan
    from khuyencong.projects.models import Project
    from khuyencong.registrations.models import Registration

    for name, model in (
        ("registration_id", Registration),
        ("project_id", Project),
        ("plan_id", Plan),
        ("beneficiary_id", Beneficiary),
    ):
        if name in path_parameters:
            return (
                model.objects.filter(pk=path_parameters[name])
                .values_list("version", flat=True)
                .first()
            )
    return None


def test_every_operation_is_covered():
    assert len(OPERATIONS) >= 25
    assert ("POST", "/api/v1/projects/{project_id}/events") in OPERATIONS


def teardown_module(module):
    print(f"\nschemathesis: {len(OPERATIONS)} operations, {CASES['count']} cases")
