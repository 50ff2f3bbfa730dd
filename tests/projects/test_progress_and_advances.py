"""Progress updates and disbursement: the advance cap (dated data), payments after
acceptance, ordering, and the automatic start."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.projects import services
from khuyencong.projects.models import (
    AdvanceCapRule,
    DisbursementKind,
    EventKind,
    ProgressUpdate,
    Status,
)
from khuyencong.projects.services import SYSTEM

from .factories import make_plan, make_project, source, step, walk
from .test_guards import refused

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)
ADVANCE, PAYMENT = DisbursementKind.ADVANCE, DisbursementKind.PAYMENT


def progress(project, day, percent, amount=0, kind=ADVANCE, **kwargs):
    return services.record_progress(
        project=project,
        actor=kwargs.pop("actor", SYSTEM),
        date=day,
        progress_percent=percent,
        disbursed_amount=amount,
        disbursement_kind=kind,
        **kwargs,
    )


def test_advance_cap_rules_are_seeded_as_dated_data_marked_per_legal_notes():
    rules = list(AdvanceCapRule.objects.order_by("valid_from"))
    assert [r.percent for r in rules] == [70, 70]
    assert [r.legal_basis.code for r in rules] == ["ttlt26_2014", "tt28_2018"]
    assert [r.confirmed for r in rules] == [True, False]  # TT 28/2018's 70 % is unconfirmed
    assert rules[0].valid_to < rules[1].valid_from
    assert AdvanceCapRule.rule_on(datetime.date(2018, 6, 30), "local") == rules[1]
    assert AdvanceCapRule.rule_on(datetime.date(2016, 1, 1), "national") == rules[0]
    assert AdvanceCapRule.rule_on(datetime.date(2013, 1, 1), "national") is None


def test_first_progress_with_work_done_starts_the_project():
    project = make_project()
    day = walk(project, Status.CONTRACTED)
    progress(project, day, 0, 10_000_000)  # an advance alone does not start the work
    assert project.status == Status.CONTRACTED
    progress(project, day + ONE_DAY, 25)
    assert project.status == Status.IN_PROGRESS
    kinds = list(project.events.values_list("kind", flat=True))
    assert kinds[-1] == EventKind.START


def test_progress_needs_a_contract_and_no_pending_request():
    project = make_project()
    day = walk(project, Status.ASSIGNED)
    refused(project, "not_contracted", progress, project, day, 10)
    step(project, EventKind.CONTRACT, day)
    progress(project, day, 10)
    step(project, EventKind.REQUEST_ADJUSTMENT, day)
    refused(project, "pending_request", progress, project, day, 20)


def test_progress_never_goes_down_nor_back_in_time_and_stays_within_0_100():
    project = make_project()
    day = walk(project, Status.IN_PROGRESS)  # 30 %
    refused(project, "percent_down", progress, project, day, 20)
    refused(project, "date_in_order", progress, project, day - ONE_DAY, 40)
    refused(project, "percent_range", progress, project, day, 101)
    refused(project, "negative", progress, project, day, 40, -1)
    refused(project, "empty", progress, project, day, 30)
    refused(project, "percent_range", progress, project, day, 40.5)
    progress(project, day, 30, note="Kiểm tra hiện trường")  # a note alone is fine


def test_advances_stay_within_70_percent_of_the_support_before_acceptance():
    project = make_project(budget=250_000_000, counterpart=300_000_000)
    day = walk(project, Status.CONTRACTED)
    progress(project, day, 10, 100_000_000)
    message = refused(project, "advance_cap", progress, project, day, 20, 75_000_001)
    assert "175.000.000" in message and "70" in message  # counterpart money is not support
    progress(project, day, 20, 75_000_000)  # exactly 70 %
    refused(project, "payment_before_acceptance", progress, project, day, 30, 1, PAYMENT)


def test_the_cap_in_force_on_the_date_applies():
    AdvanceCapRule.objects.create(
        valid_from=datetime.date(2015, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
        funding_source=source("local"),
        percent=50,
        confirmed=False,
    )
    project = make_project(budget=100_000_000)  # local fund
    day = walk(project, Status.CONTRACTED)
    message = refused(project, "advance_cap", progress, project, day, 10, 50_000_001)
    assert "50" in message
    progress(project, day, 10, 50_000_000)
    national = make_project(make_plan(source_code="national"), budget=100_000_000)
    later = walk(national, Status.CONTRACTED)
    progress(national, later, 10, 70_000_000)  # the general 70 % rule for the national fund


def test_no_cap_configured_means_no_advance():
    for rule in AdvanceCapRule.objects.all():
        rule.archive()
    project = make_project()
    day = walk(project, Status.CONTRACTED)
    refused(project, "no_cap", progress, project, day, 10, 1)
    progress(project, day, 10)  # work without money is fine


def test_after_acceptance_only_payments_up_to_the_accepted_value():
    project = make_project(budget=100_000_000)
    day = walk(project, Status.CONTRACTED)
    progress(project, day, 100, 60_000_000)
    step(project, EventKind.ACCEPT, day, amount=90_000_000)
    refused(project, "advance_after", progress, project, day, 100, 1, ADVANCE)
    refused(project, "percent_down", progress, project, day, 90, 1, PAYMENT)
    refused(project, "payment_limit", progress, project, day, 100, 30_000_001, PAYMENT)
    progress(project, day, 100, 30_000_000, PAYMENT)
    assert sum(ProgressUpdate.objects.filter(project=project).values_list(
        "disbursed_amount", flat=True)) == 90_000_000  # fmt: skip


def test_after_settlement_payments_up_to_the_settled_value():
    project = make_project(budget=100_000_000)
    day = walk(project, Status.CONTRACTED)
    progress(project, day, 100, 50_000_000)
    step(project, EventKind.ACCEPT, day)
    step(project, EventKind.SETTLE, day, amount=80_000_000)
    refused(project, "payment_limit", progress, project, day, 100, 30_000_001, PAYMENT)
    progress(project, day, 100, 30_000_000, PAYMENT)


def test_progress_rows_are_append_only():
    project = make_project()
    day = walk(project, Status.IN_PROGRESS)
    row = project.progress_updates.get()
    from khuyencong.core.models import HardDeleteError

    row.progress_percent = 99
    with pytest.raises(HardDeleteError):
        row.save()
    with pytest.raises(HardDeleteError):
        row.delete()
    event = project.events.last()
    with pytest.raises(HardDeleteError):
        event.save()
    assert project.progress_updates.get().progress_percent == 30
    assert day
