"""Guards on transitions: dates, documents, reasons, ceilings, acceptance, settlement,
adjustments and stops. A refusal writes nothing."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import Budget, EventKind, Status
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.services import SYSTEM

from .factories import make_plan, make_project, step, walk
from .test_lifecycle_table import snapshot

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


def refused(project, code, call, /, *args, **kwargs):
    before = snapshot(project)
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert snapshot(project) == before
    return caught.value.message


def test_effective_date_cannot_go_back_before_the_previous_step():
    project = make_project()
    day = walk(project, Status.APPROVED)
    message = refused(project, "date_in_order", step, project, EventKind.ASSIGN, day - ONE_DAY)
    assert day.strftime("%d/%m/%Y") in message
    step(project, EventKind.ASSIGN, day)  # the same day is fine


def test_effective_date_stays_near_the_plan_year():
    plan = make_plan(year=2018)
    project = make_project(plan)
    walk(project, Status.ASSIGNED, datetime.date(2018, 1, 10))
    refused(
        project,
        "date_within_plan_years",
        step,
        project,
        EventKind.CONTRACT,
        datetime.date(2020, 1, 1),
    )
    step(project, EventKind.CONTRACT, datetime.date(2019, 12, 31))


def test_document_date_cannot_follow_the_effective_date():
    project = make_project()
    day = walk(project, Status.APPROVED)
    refused(
        project, "date_in_order", step, project, EventKind.ASSIGN, day, document_date=day + ONE_DAY
    )


def test_decisions_need_a_document_number_and_requests_a_reason():
    project = make_project()
    day = walk(project, Status.APPROVED)
    refused(project, "document_given", step, project, EventKind.ASSIGN, day, document_number=" ")
    step(project, EventKind.ASSIGN, day)
    refused(project, "reason_given", step, project, EventKind.REQUEST_STOP, day, reason="")


def test_amounts_only_where_the_step_takes_one():
    project = make_project()
    day = walk(project, Status.APPROVED)
    refused(project, "no_amount", step, project, EventKind.ASSIGN, day, amount=5)
    refused(project, "negative", step, project, EventKind.ASSIGN, day, amount=-5)


def test_approval_needs_an_approved_plan():
    plan = make_plan(approved=False)
    project = make_project(plan)
    step(project, EventKind.APPRAISE, datetime.date(plan.year, 1, 5))
    refused(
        project,
        "in_approved_plan",
        step,
        project,
        EventKind.APPROVE,
        datetime.date(plan.year, 1, 6),
    )


def test_approval_needs_a_budget_from_the_plan_source():
    project = make_project(budget=0, counterpart=50_000_000)
    step(project, EventKind.APPRAISE, datetime.date(project.plan.year, 1, 5))
    refused(
        project,
        "in_approved_plan",
        step,
        project,
        EventKind.APPROVE,
        datetime.date(project.plan.year, 1, 6),
    )


def test_approval_keeps_allocated_within_the_ceiling():
    plan = make_plan(ceiling=300_000_000)
    first = make_project(plan, budget=200_000_000)
    walk(first, Status.APPROVED)
    second = make_project(plan, budget=100_000_001)
    day = walk(second, Status.APPRAISED)
    message = refused(second, "within_ceiling", step, second, EventKind.APPROVE, day + ONE_DAY)
    assert "300.000.000" in message and "300.000.001" in message
    exact = make_project(plan, budget=100_000_000)
    walk(exact, Status.APPROVED)
    assert plan_figures(plan).allocated == plan_figures(plan).ceiling == 300_000_000
    assert plan_figures(plan).free == 0


def test_approval_before_the_plan_ceiling_is_in_force_is_refused():
    plan = make_plan(ceiling=300_000_000, approved=False)
    from khuyencong.projects import plan_services

    plan_services.approve_plan(
        plan=plan,
        actor=SYSTEM,
        decision_number="1/QĐ",
        decision_date=datetime.date(plan.year, 1, 1),
        effective_date=datetime.date(plan.year, 3, 1),
    )
    project = make_project(plan)
    step(project, EventKind.APPRAISE, datetime.date(plan.year, 1, 5))
    refused(
        project, "within_ceiling", step, project, EventKind.APPROVE, datetime.date(plan.year, 2, 1)
    )
    step(project, EventKind.APPROVE, datetime.date(plan.year, 3, 1))


def test_acceptance_needs_all_the_work_done():
    project = make_project()
    day = walk(project, Status.IN_PROGRESS)  # 30 %
    message = refused(project, "work_complete", step, project, EventKind.ACCEPT, day)
    assert "30" in message
    services.record_progress(project=project, actor=SYSTEM, date=day, progress_percent=100)
    step(project, EventKind.ACCEPT, day)
    assert project.status == Status.ACCEPTED


def test_accepted_value_lies_between_disbursed_and_budget():
    project = make_project(budget=100_000_000)
    day = walk(project, Status.IN_PROGRESS)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=100, disbursed_amount=50_000_000
    )
    refused(
        project, "acceptance_amount_valid", step, project, EventKind.ACCEPT, day, amount=100_000_001
    )
    refused(
        project, "acceptance_amount_valid", step, project, EventKind.ACCEPT, day, amount=49_999_999
    )
    event = step(project, EventKind.ACCEPT, day, amount=90_000_000)
    assert event.amount == 90_000_000


def test_settlement_amount_between_disbursed_and_accepted_value():
    project = make_project(budget=100_000_000)
    day = walk(project, Status.IN_PROGRESS)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=100, disbursed_amount=70_000_000
    )
    step(project, EventKind.ACCEPT, day, amount=90_000_000)
    refused(project, "settlement_amount_valid", step, project, EventKind.SETTLE, day, amount=None)
    refused(
        project, "settlement_amount_valid", step, project, EventKind.SETTLE, day, amount=90_000_001
    )
    refused(
        project, "settlement_amount_valid", step, project, EventKind.SETTLE, day, amount=69_000_000
    )
    step(project, EventKind.SETTLE, day, amount=85_000_000)
    figures = plan_figures(project.plan)
    assert figures.settled == 85_000_000
    assert figures.allocated == 85_000_000  # the rest of the budget is free again


def test_adjustment_changes_the_budget_within_the_rules():
    plan = make_plan(ceiling=300_000_000)
    other = make_project(plan, budget=100_000_000)
    walk(other, Status.APPROVED)
    project = make_project(plan, budget=150_000_000, counterpart=10_000_000)
    day = walk(project, Status.CONTRACTED)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=20, disbursed_amount=100_000_000
    )
    day += ONE_DAY
    step(project, EventKind.REQUEST_ADJUSTMENT, day)
    too_big = Budget(local=200_000_001, counterpart=10_000_000)
    refused(
        project,
        "adjusted_budget_valid",
        step,
        project,
        EventKind.APPROVE_ADJUSTMENT,
        day,
        new_budget=too_big,
    )
    below_paid = Budget(local=90_000_000)
    refused(
        project,
        "adjusted_budget_valid",
        step,
        project,
        EventKind.APPROVE_ADJUSTMENT,
        day,
        new_budget=below_paid,
    )
    over_cap = Budget(local=140_000_000)  # 100 M advanced > 70 % of 140 M
    message = refused(
        project,
        "adjusted_budget_valid",
        step,
        project,
        EventKind.APPROVE_ADJUSTMENT,
        day,
        new_budget=over_cap,
    )
    assert "70" in message
    negative = Budget(local=150_000_000, counterpart=-1)
    refused(
        project, "budget", step, project, EventKind.APPROVE_ADJUSTMENT, day, new_budget=negative
    )
    event = step(
        project,
        EventKind.APPROVE_ADJUSTMENT,
        day,
        new_budget=Budget(local=200_000_000, counterpart=5),
    )
    assert project.status == Status.IN_PROGRESS
    assert project.budget == Budget(local=200_000_000, counterpart=5)
    assert event.budget == project.budget
    assert plan_figures(plan).allocated == 300_000_000


def test_a_stop_frees_what_was_not_disbursed():
    plan = make_plan(ceiling=300_000_000)
    project = make_project(plan, budget=200_000_000)
    day = walk(project, Status.CONTRACTED)
    services.record_progress(
        project=project, actor=SYSTEM, date=day, progress_percent=0, disbursed_amount=40_000_000
    )
    step(project, EventKind.REQUEST_STOP, day)
    assert plan_figures(plan).allocated == 200_000_000
    event = step(project, EventKind.APPROVE_STOP, day)
    assert event.amount == 40_000_000
    figures = plan_figures(plan)
    assert (figures.allocated, figures.disbursed, figures.free) == (
        40_000_000,
        40_000_000,
        260_000_000,
    )
    # the freed money can be allocated again, but not the disbursed part
    new = make_project(plan, budget=260_000_000)
    walk(new, Status.APPROVED, day)
    late = make_project(plan, budget=1)
    later = walk(late, Status.APPRAISED, day)
    refused(late, "within_ceiling", step, late, EventKind.APPROVE, later)


def test_stopped_and_settled_projects_take_no_more_money():
    project = make_project()
    day = walk(project, Status.STOPPED)
    refused(
        project, "not_contracted", services.record_progress,
        project=project, actor=SYSTEM, date=day, progress_percent=10,
    )  # fmt: skip
