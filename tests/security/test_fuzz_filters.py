"""Issue 18, item 9: hostile values in every list filter, export and API list parameter.

The list pages are found in the URL conf (every view in the one list style,
``core.views.FilteredListView``), and each page's parameters in its own filter form, so a new
list or a new filter is fuzzed without touching this file. Each value (huge and negative
integers, floats, NaN, other scripts' digits, NUL bytes, very long and SQL-looking text…) is
sent to every parameter of every list and export as a system administrator, then Hypothesis
draws combinations (repeated parameters included) as each role. No answer may be a 500.
The number of requests is bounded (about a thousand in all).
"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms import MultiWidget
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.api.main import api
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.catalog.views import CATALOGS
from khuyencong.core import money
from khuyencong.core.bounds import MAX_ID
from khuyencong.core.views import FilteredListView
from khuyencong.demo.projects import DISTRICTS
from khuyencong.events.forms import EventForm
from khuyencong.projects.forms import ProgressForm
from khuyencong.projects.forms.plans import (
    PlanApproveForm,
    PlanCreateForm,
    PlanVersionForm,
)
from khuyencong.projects.forms.records import ProjectForm
from khuyencong.projects.selectors import state_of
from khuyencong.registrations.forms import RegistrationForm
from khuyencong.reports.forms import ReportScopeForm
from tests.projects import factories as pf

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"

HOSTILE = [
    "9223372036854775808",  # 2**63
    "-9223372036854775809",
    "99999999999999999999999",
    "9" * 400,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits: int() reads 12
    "\x00",
    "1\x00",
    "' OR 1=1 --",
    "%_\\",
    "ăằẵ 😀 <script>",
    "x" * 3000,
]

# Values for the URL keywords of list routes (a new keyword must be added here: the test
# listing the routes says so).
ROUTE_KWARGS: dict[str, list[str]] = {"catalog": sorted(CATALOGS)}
# Parameters some lists read besides their filter form.
EXTRA_PARAMETERS = ["q", "page", "export", "expiring"]


def _walk(patterns: list, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner:
                inner = f"{namespace}:{inner}" if namespace else inner
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace
            )
        elif isinstance(pattern, URLPattern):
            yield pattern, namespace


def list_routes() -> list[tuple[str, dict[str, str]]]:
    """(URL name, kwargs) of every page in the one list style."""
    routes = []
    for pattern, namespace in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if not (view_class and issubclass(view_class, FilteredListView)):
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        keywords = sorted(pattern.pattern.regex.groupindex)
        if not keywords:
            routes.append((name, {}))
            continue
        assert set(keywords) <= set(ROUTE_KWARGS), f"{name}: add {keywords} to ROUTE_KWARGS"
        [keyword] = keywords  # one keyword per list route so far
        routes.extend((name, {keyword: value}) for value in ROUTE_KWARGS[keyword])
    return routes


ROUTES = list_routes()


def test_the_list_routes_are_found():
    names = {name for name, _kwargs in ROUTES}
    assert {"projects:list", "beneficiaries:list", "plans:list", "catalog:list"} <= names
    assert len(ROUTES) >= 15


def parameters(response) -> list[str]:
    """The query parameters a list page's filter form reads (sub-widgets included)."""
    filterset = response.context["view"].filterset
    names: list[str] = []
    for bound in filterset.form if filterset is not None else ():
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            names.extend(f"{bound.html_name}{suffix}" for suffix in widget.widgets_names)
        else:
            names.append(bound.html_name)
    return names + EXTRA_PARAMETERS


@pytest.fixture
def records():
    units = pf.units()
    plan = pf.make_plan(year=2025)
    project = pf.make_project(plan)
    beneficiary = Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="household"),
        name="Hộ kinh doanh Thử",
        commune=units["02152"],
    )
    return {"units": units, "beneficiary": beneficiary, "plan": plan, "project": project}


def make_users(records) -> dict[str, Any]:
    district = records["units"][next(iter(DISTRICTS))]
    return {
        "system_admin": pf.user(Role.SYSTEM_ADMIN),
        "national_agency": pf.user(Role.NATIONAL_AGENCY),
        "centre_staff": pf.user(Role.CENTRE_STAFF),
        "department_leader": pf.user(Role.DEPARTMENT_LEADER),
        "district_officer": pf.user(
            Role.DISTRICT_OFFICER, scope_level=ScopeLevel.DISTRICT, district=district
        ),
        "beneficiary": pf.user(Role.BENEFICIARY, beneficiary=records["beneficiary"]),
        "jury_member": pf.user(Role.JURY_MEMBER),
    }


def no_server_error(response, where: str) -> None:
    assert response.status_code < 500, f"{response.status_code} on {where}"


@pytest.fixture
def route_parameters(client, records) -> dict[tuple[str, str], tuple[str, list[str], bool]]:
    """URL and parameters of every list route, read from the page as an administrator."""
    if not _FOUND:  # the forms' fields do not depend on the data: read them once
        client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=BACKEND)
        for name, kwargs in ROUTES:
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            assert response.status_code == 200, url
            _FOUND[(name, str(kwargs))] = (
                url,
                parameters(response),
                "export_url" in response.context,
            )
    return _FOUND


_FOUND: dict[tuple[str, str], tuple[str, list[str], bool]] = {}


def test_every_hostile_value_in_every_filter_of_every_list_and_export(client, route_parameters):
    client.force_login(pf.user(Role.SYSTEM_ADMIN), backend=BACKEND)
    for url, names, exported in route_parameters.values():
        for value in HOSTILE:
            query = {name: value for name in names if name != "export"}
            no_server_error(client.get(url, query), f"{url} {value!r}")
            if exported:
                response = client.get(url, {**query, "export": "xlsx"})
                no_server_error(response, f"{url} export {value!r}")


hostile_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=40),
)


@pytest.mark.parametrize(
    "role",
    [
        "system_admin",
        "national_agency",
        "centre_staff",
        "department_leader",
        "district_officer",
        "beneficiary",
        "jury_member",
    ],
)
def test_hostile_combinations_as_each_role(client, records, route_parameters, role):
    client.force_login(make_users(records)[role], backend=BACKEND)
    routes = sorted((url, names) for url, names, _exported in route_parameters.values())

    @given(data=st.data())
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(data):
        url, names = data.draw(st.sampled_from(routes))
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        # a list of values is a repeated parameter (?year=1&year=2)
        query = {
            name: data.draw(st.lists(hostile_values, min_size=1, max_size=2)) for name in chosen
        }
        no_server_error(client.get(url, query), f"{url} {query!r}")

    run()


# ----------------------------------------------------------------------------------- API

API_LISTS = [
    (
        path,
        [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"],
    )
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method, operation in methods.items()
    if method == "get" and "{" not in path
]


def test_the_api_lists_are_found():
    paths = {path for path, _names in API_LISTS}
    assert {"/api/v1/projects", "/api/v1/beneficiaries", "/api/v1/plans"} <= paths


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.CENTRE_STAFF])
def test_every_hostile_value_in_every_api_list_parameter(client, records, role):
    client.force_login(pf.user(role), backend=BACKEND)
    for path, names in API_LISTS:
        if not names:
            continue
        for value in HOSTILE:
            response = client.get(path, {name: value for name in names})
            no_server_error(response, f"{path} {value!r}")
        repeated = client.get(path, {name: ["1", "2"] for name in names})
        no_server_error(repeated, f"{path} repeated")


# --------------------------------------------------------------------------------- forms


def main_forms(records) -> list[Any]:
    """The main forms, unbound factories taking ``data`` (their integer and money fields)."""
    admin = pf.user(Role.SYSTEM_ADMIN)
    plan, project = records["plan"], records["project"]
    return [
        lambda data: PlanCreateForm(data, user=admin),
        lambda data: PlanApproveForm(data, plan=plan, proposed=1),
        lambda data: PlanVersionForm(data, plan=plan, current_ceiling=1),
        lambda data: ProjectForm(data, user=admin),
        lambda data: ProgressForm(data, project=project, state=state_of(project)),
        lambda data: RegistrationForm(data, user=admin),
        lambda data: EventForm(data, user=admin),
        lambda data: ReportScopeForm(data, user=admin),
    ]


def numeric_fields(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.IntegerField) or type(field).__name__ == "MoneyField"
    ]


def test_hostile_values_in_the_main_forms_integer_and_money_fields(records):
    for make in main_forms(records):
        names = numeric_fields(make(None))
        assert names, make(None)
        for value in [*HOSTILE, str(money.MAX_VND + 1), "1.000.001 tỷ", "1e15"]:
            form = make(dict.fromkeys(names, value))
            form.is_valid()  # no exception
            for name in names:
                cleaned = form.cleaned_data.get(name)
                if isinstance(cleaned, int):
                    limit = (
                        money.MAX_VND
                        if type(form.fields[name]).__name__ == "MoneyField"
                        else MAX_ID
                    )
                    assert -limit <= cleaned <= limit, (type(form).__name__, name, value)
