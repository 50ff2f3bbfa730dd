"""Plan building from accepted registrations: a draft within the ceiling (refused when over),
submitted, approved with its decision — creating approved projects linked to their
registrations through the plans and projects services."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.plans.models import Plan, PlanStatus
from khuyencong.projects.models import EventKind as ProjectEvent
from khuyencong.projects.models import Project
from khuyencong.projects.models import Status as ProjectStatus
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.plan_services import submit_plan
from khuyencong.registrations import planning, selectors
from khuyencong.registrations.models import EventKind, PlanEntry, Status
from khuyencong.registrations.services import Refused, withdraw_registration

from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
M = 1_000_000


def build(registrations, *, ceiling=500 * M, actor=None, source="local"):
    return planning.build_plan(
        actor=actor or f.user(Role.CENTRE_STAFF),
        province=f.bac_kan(),
        year=2019,
        funding_source=f.source(source),
        ceiling=ceiling,
        registrations=registrations,
    )


def test_a_draft_plan_holds_the_accepted_registrations_with_their_support():
    first, second = f.accepted(), f.accepted(support=50 * M)
    plan = build([first, second])
    assert plan.status == PlanStatus.DRAFT and plan.year == 2019
    assert plan.versions.get().ceiling == 500 * M
    entries = {e.registration_id: e.amount for e in selectors.entries_of(plan)}
    assert entries == {first.pk: 80 * M, second.pk: 50 * M}
    assert planning.committed_amount(plan) == 130 * M
    assert first.events.filter(kind=EventKind.PLAN).exists()


def test_over_the_ceiling_is_refused_and_nothing_is_written():
    first, second = f.accepted(), f.accepted()
    plans_before = Plan.objects.count()
    with pytest.raises(Refused) as error:
        build([first, second], ceiling=100 * M)
    assert "100.000.000" in error.value.message and "60.000.000" in error.value.message
    assert Plan.objects.count() == plans_before  # the plan itself was rolled back
    assert not PlanEntry.objects.exists()


def test_changing_a_draft_keeps_the_ceiling_rule():
    first, second, third = f.accepted(), f.accepted(), f.accepted()
    plan = build([first], ceiling=170 * M)
    actor = f.user(Role.CENTRE_STAFF)
    planning.set_plan_entries(plan=plan, actor=actor, registrations=[first, second])
    with pytest.raises(Refused):
        planning.set_plan_entries(plan=plan, actor=actor, registrations=[first, second, third])
    assert set(selectors.entries_of(plan).values_list("registration_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    planning.set_plan_entries(plan=plan, actor=actor, registrations=[second])
    assert list(selectors.entries_of(plan).values_list("registration_id", flat=True)) == [second.pk]
    assert first.events.filter(kind=EventKind.UNPLAN).exists()


def test_only_accepted_registrations_of_the_province_year_and_source_enter():
    submitted = f.submitted()
    with pytest.raises(Refused, match=submitted.code):
        build([submitted])
    national = f.accepted(
        funding_source=f.source("national"), requested_local=0, requested_national=80 * M
    )
    with pytest.raises(Refused, match=national.code):
        build([national])
    other_year = f.accepted(
        target_year=2020, registered_on=D(2019, 5, 1), planned_start=None, planned_end=None
    )
    with pytest.raises(Refused, match=other_year.code):
        build([other_year])


def test_the_national_agency_cannot_draft_the_plan():
    with pytest.raises(Refused):
        build([f.accepted()], actor=f.user(Role.NATIONAL_AGENCY))


def approve(plan, actor=None, **kwargs):
    values = {
        "plan": plan,
        "actor": actor or f.user(Role.DEPARTMENT_LEADER),
        "decision_number": "2510/QĐ-UBND",
        "decision_date": D(2018, 12, 20),
        "approving_authority": "UBND tỉnh Bắc Kạn",
    }
    values.update(kwargs)
    return planning.approve_registration_plan(**values)


def test_approval_creates_approved_projects_linked_to_their_registrations():
    first, second = f.accepted(), f.accepted(support=50 * M)
    plan = build([first, second], ceiling=200 * M)
    submit_plan(plan=plan, actor=f.user(Role.CENTRE_STAFF))
    projects = approve(plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decision_number == "2510/QĐ-UBND"
    assert len(projects) == 2
    for registration, project in zip((first, second), projects, strict=True):
        registration.refresh_from_db()
        assert registration.status == Status.APPROVED
        assert registration.project == project
        assert project.status == ProjectStatus.APPROVED
        assert project.plan == plan
        assert project.beneficiary == registration.beneficiary
        assert project.code == registration.code.replace("DK-", "DA-")
        assert project.budget.total == registration.total_investment
        kinds = list(project.events.values_list("kind", flat=True))
        assert kinds == [ProjectEvent.REGISTER, ProjectEvent.APPRAISE, ProjectEvent.APPROVE]
        approval = project.events.get(kind=ProjectEvent.APPROVE)
        assert approval.document_number == "2510/QĐ-UBND"
        assert approval.effective_date == D(2018, 12, 20)
        assert approval.actor is not None
    assert projects[1].budget_local == 50 * M
    assert projects[1].budget_counterpart == 200 * M - 50 * M
    figures = plan_figures(plan, D(2019, 1, 1))
    assert (figures.ceiling, figures.allocated) == (200 * M, 130 * M)


def test_approval_needs_the_approving_authority_of_the_fund():
    plan = build([f.accepted()])
    submit_plan(plan=plan, actor=f.user(Role.CENTRE_STAFF))
    with pytest.raises(Refused):
        approve(plan, actor=f.user(Role.CENTRE_STAFF))
    with pytest.raises(Refused):
        approve(plan, actor=f.user(Role.NATIONAL_AGENCY))  # local fund: the province decides
    assert not Project.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_approval_before_the_council_decision_is_refused_whole():
    registration = f.accepted()
    plan = build([registration])
    with pytest.raises(Refused, match=registration.code):
        approve(plan, decision_date=D(2018, 6, 1))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not Project.objects.exists()


def test_an_approved_ceiling_below_the_plan_is_refused():
    plan = build([f.accepted(), f.accepted()])
    with pytest.raises(Refused):
        approve(plan, ceiling=100 * M)
    assert not Project.objects.exists()


def test_an_empty_plan_is_not_approved_here():
    plan = build([])
    with pytest.raises(Refused):
        approve(plan)


def test_an_approved_plan_takes_no_more_registrations():
    plan = build([f.accepted()])
    approve(plan)
    with pytest.raises(Refused):
        build([f.accepted()])
    with pytest.raises(Refused):
        planning.set_plan_entries(plan=plan, actor=f.user(), registrations=[])


def test_withdrawing_takes_a_registration_out_of_a_draft_plan_only():
    registration, kept = f.accepted(), f.accepted()
    plan = build([registration, kept])
    withdraw_registration(registration=registration, actor=f.user(), reason="Đơn vị xin rút")
    assert list(selectors.entries_of(plan).values_list("registration_id", flat=True)) == [kept.pk]
    submit_plan(plan=plan, actor=f.user())
    with pytest.raises(Refused):
        withdraw_registration(registration=kept, actor=f.user(), reason="Muộn")


def test_a_national_plan_is_approved_by_the_national_agency():
    registration = f.accepted(
        funding_source=f.source("national"),
        requested_local=0,
        requested_national=80 * M,
    )
    plan = build([registration], source="national")
    submit_plan(plan=plan, actor=f.user())
    with pytest.raises(Refused):
        approve(plan)  # the department leader does not approve a national plan
    projects = approve(
        plan, actor=f.user(Role.NATIONAL_AGENCY), approving_authority="Bộ Công Thương"
    )
    assert projects[0].kcqg_type == "doi_tuong"
    assert projects[0].budget_national == 80 * M


def test_registrations_go_to_the_main_plan_in_force_not_a_supplementary_one():
    """A province with a 2018–2020 main plan and a 2019 supplementary plan: 2019's
    registrations belong to the main plan covering 2019 (issue 19)."""
    from khuyencong.plans.models import PlanKind
    from khuyencong.projects import plan_services
    from khuyencong.projects.services import SYSTEM

    province, source = f.bac_kan(), f.source("local")
    main = plan_services.create_plan(
        actor=SYSTEM, province=province, year=2018, end_year=2020, funding_source=source,
        title="Kế hoạch khuyến công giai đoạn 2018 – 2020", ceiling=900 * M,
    )  # fmt: skip
    plan_services.create_plan(
        actor=SYSTEM, province=province, year=2019, funding_source=source,
        title="Kế hoạch bổ sung 2019", ceiling=100 * M, kind=PlanKind.SUPPLEMENTARY,
    )  # fmt: skip
    assert planning.plan_for(province, 2019, source) == main
    assert planning.plan_for(province, 2021, source) is None
