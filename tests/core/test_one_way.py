"""The shared bases of issue 17 part 4: one workflow table shape, one refusal, one lock helper,
one dated-rule base, one append-only base and one place scope, used by every app."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.catalog.models import FundingSource
from khuyencong.core.models import VersionConflict, covers, lock_versioned
from khuyencong.core.workflow import Refused, Table, Transition
from khuyencong.places.models import Level, scope_from_place
from khuyencong.projects import lifecycle
from khuyencong.projects.models import AdvanceCapRule
from khuyencong.registrations import workflow
from tests.accounts.factories import OrganisationFactory, UserFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "khuyencong"
D = datetime.date

TABLE = Table(
    (
        Transition("open", frozenset({"draft"}), "open"),
        Transition("close", frozenset({"open", "draft"}), "closed", needs_reason=True),
    ),
    unknown="no step %(kind)s",
    illegal="%(step)s not from %(status)s",
    step_label=str.upper,
)


def test_a_table_finds_checks_and_lists_its_rows():
    assert TABLE.row("open").target == "open"
    assert [row.kind for row in TABLE.available("draft")] == ["open", "close"]
    assert [row.kind for row in TABLE.available("open")] == ["close"]
    TABLE.check(TABLE.row("close"), "open")  # allowed: no refusal
    with pytest.raises(Refused) as illegal:
        TABLE.check(TABLE.row("open"), "closed")
    assert (illegal.value.code, illegal.value.message) == ("illegal", "OPEN not from closed")
    with pytest.raises(Refused) as unknown:
        TABLE.row("reopen")
    assert (unknown.value.code, unknown.value.message) == ("unknown", "no step reopen")


def test_a_table_has_one_row_per_step_and_an_unworded_one_refuses_loudly():
    row = Transition("open", frozenset({"draft"}), "open")
    with pytest.raises(ValueError):
        Table((row, row), illegal="%(status)s")
    with pytest.raises(KeyError):
        Table((row,), illegal="%(status)s").row("close")


def test_projects_and_registrations_share_the_refusal_and_the_row_shape():
    assert workflow.Refused is lifecycle.Refused is Refused
    assert isinstance(lifecycle.TABLE, Table) and isinstance(workflow.TABLE, Table)
    assert all(isinstance(row, Transition) for row in (*lifecycle.TRANSITIONS, *workflow.STEPS))


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_registrations_no_longer_borrow_the_project_lifecycle():
    for name in ("workflow.py", "services.py", "planning.py", "planning_views.py", "models.py"):
        assert "khuyencong.projects.lifecycle" not in _imported_modules(
            SRC / "registrations" / name
        ), name


def test_no_app_keeps_its_own_require_or_lock():
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not names & {"_require"}, path


@pytest.mark.django_db
def test_require_refuses_with_the_domain_refusal_and_require_page_with_a_403():
    national = UserFactory(role=Role.NATIONAL_AGENCY, scope_level=ScopeLevel.NATIONAL)
    beneficiary_user = UserFactory(role=Role.BENEFICIARY)
    roles.require(national, "projects.decide_national")  # allowed: nothing raised
    with pytest.raises(Refused) as refused:
        roles.require(beneficiary_user, "projects.decide_national")
    assert refused.value.code == "permission"
    request = RequestFactory().get("/")
    request.user = beneficiary_user
    with pytest.raises(PermissionDenied):
        roles.require_page(request, "projects.decide_national")
    request.user = national
    roles.require_page(request, "projects.decide_national")


@pytest.mark.django_db
def test_lock_versioned_refuses_a_stale_version_and_an_archived_record():
    organisation = OrganisationFactory()
    assert lock_versioned(organisation, 1) == organisation
    assert lock_versioned(organisation).version == 1  # no version given: no check
    with pytest.raises(VersionConflict) as conflict:
        lock_versioned(organisation, 7)
    assert conflict.value.current.version == 1
    organisation.archive()
    assert lock_versioned(organisation, 1) == organisation  # archived allowed unless worded
    with pytest.raises(Refused) as refused:
        lock_versioned(organisation, 1, archived="archived!")
    assert (refused.value.code, refused.value.message) == ("archived", "archived!")


@pytest.mark.django_db
def test_the_advance_cap_rule_refuses_an_end_before_its_start_like_every_dated_rule():
    rule = AdvanceCapRule(valid_from=D(2020, 1, 1), valid_to=D(2019, 12, 31), percent=50)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "valid_to" in error.value.message_dict


dates = st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2030, 12, 31)))


@pytest.mark.django_db
@given(valid_from=dates, valid_to=dates, day=st.dates(D(2000, 1, 1), D(2030, 12, 31)))
def test_a_loaded_row_and_the_queryset_agree_on_validity(valid_from, valid_to, day):
    row, _ = FundingSource.objects.get_or_create(code="validity-test", defaults={"name": "x"})
    FundingSource.objects.filter(pk=row.pk).update(valid_from=valid_from, valid_to=valid_to)
    in_queryset = FundingSource.objects.filter(pk=row.pk).valid_on(day).exists()
    assert in_queryset == covers(valid_from, valid_to, day)


def _unit(pk, level, province_id=None, parent_id=None):
    return SimpleNamespace(pk=pk, level=level, province_id=province_id, parent_id=parent_id)


def test_the_scope_of_a_place():
    assert scope_from_place(None) == (None, None)
    assert scope_from_place(_unit(1, Level.PROVINCE)) == (1, None)
    assert scope_from_place(_unit(2, Level.DISTRICT, 1, 1)) == (1, 2)
    assert scope_from_place(_unit(3, Level.COMMUNE, 1, 2)) == (1, 2)
    assert scope_from_place(_unit(4, Level.COMMUNE, 1, 1)) == (1, None)  # no district level
