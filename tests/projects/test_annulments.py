"""Correction without rewriting (issue 20): a recorded event or progress entry is annulled
(or corrected) by an append-only ``Annulment``; everything the rules derive (status,
``StatePeriod``, ``PlanTally``, as-of reads) recomputes from the records that still count."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import (
    Annulment,
    DisbursementKind,
    EventKind,
    PlanTally,
    ProgressUpdate,
    ProjectEvent,
    StatePeriod,
    Status,
)
from khuyencong.projects.selectors import state_of
from khuyencong.projects.services import SYSTEM
from khuyencong.trust.models import AuditEntry

from .factories import make_plan, make_project, step, user, walk

pytestmark = pytest.mark.django_db
D = datetime.date


def accepted_project(**kwargs):
    project = make_project(**kwargs)
    day = walk(project, Status.ACCEPTED)
    return project, day


def pay(project, day, amount):
    return services.record_progress(
        project=project,
        actor=SYSTEM,
        date=day,
        progress_percent=100,
        disbursed_amount=amount,
        disbursement_kind=DisbursementKind.PAYMENT,
    )


def leader(project):
    return user(Role.DEPARTMENT_LEADER, province_id=project.province_id)


def current(project) -> StatePeriod:
    return StatePeriod.objects.get(project=project, valid_to__isnull=True)


def test_annulled_duplicate_payment_leaves_every_sum():
    project, day = accepted_project()
    pay(project, day + datetime.timedelta(days=3), 20_000_000)
    duplicate = pay(project, day + datetime.timedelta(days=3), 20_000_000)
    tally = PlanTally.objects.get(plan=project.plan, province=project.province)
    assert current(project).disbursed == 40_000_000
    assert tally.disbursed == 40_000_000

    annulment = services.annul_progress(
        project=project,
        progress_update=duplicate,
        actor=leader(project),
        reason="Nhập trùng chứng từ chi",
        expected_version=project.version,
    )

    assert current(project).disbursed == 20_000_000
    tally.refresh_from_db()
    assert tally.disbursed == 20_000_000
    assert state_of(project, None).disbursed == 20_000_000
    assert ProgressUpdate.objects.filter(pk=duplicate.pk).exists()  # never deleted
    assert list(project.progress_updates.effective()).count(duplicate) == 0
    assert annulment.actor is not None and annulment.reason == "Nhập trùng chứng từ chi"
    entry = AuditEntry.objects.for_object(annulment).get()
    assert entry.reason == "Nhập trùng chứng từ chi"


def test_acceptance_cannot_be_annulled_while_its_settlement_stands():
    project, day = accepted_project()
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    step(project, EventKind.SETTLE, day + datetime.timedelta(days=5))
    actor = leader(project)
    with pytest.raises(Refused) as refused:
        services.annul_event(project=project, event=acceptance, actor=actor, reason="Sai")
    assert "Quyết toán" in refused.value.message or "Settlement" in refused.value.message
    assert not Annulment.objects.exists()
    assert project.status == Status.SETTLED

    settlement = project.events.get(kind=EventKind.SETTLE)
    services.annul_event(project=project, event=settlement, actor=actor, reason="Sai số liệu")
    assert project.status == Status.ACCEPTED
    services.annul_event(project=project, event=acceptance, actor=actor, reason="Chưa nghiệm thu")
    assert project.status == Status.IN_PROGRESS
    assert current(project).status == Status.IN_PROGRESS
    assert current(project).accepted is None
    assert state_of(project, None).status == Status.IN_PROGRESS


def test_correcting_an_acceptance_keeps_its_place_before_the_settlement():
    project, day = accepted_project()
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    step(project, EventKind.SETTLE, day + datetime.timedelta(days=5))
    annulment = services.correct_event(
        project=project,
        event=acceptance,
        actor=leader(project),
        reason="Gõ nhầm số biên bản",
        document_number="15/BB-NT",
    )
    replacement = annulment.replacement
    assert replacement.document_number == "15/BB-NT"
    assert replacement.corrects_sequence == acceptance.sequence
    assert replacement.sequence > project.events.get(kind=EventKind.SETTLE).sequence
    assert project.status == Status.SETTLED  # replayed with the correction in its place
    kinds = [e.kind for e in project.events.effective().in_replay_order()]
    assert kinds[-2:] == [EventKind.ACCEPT, EventKind.SETTLE]
    assert ProjectEvent.objects.get(pk=acceptance.pk).document_number == "01/QĐ"

    # the correction itself is corrected: the newest one stands, in the same place
    again = services.correct_event(
        project=project,
        event=replacement,
        actor=leader(project),
        reason="Thêm cơ quan ban hành",
        issuer="Sở Công Thương",
    )
    assert again.replacement.corrects_sequence == acceptance.sequence
    assert project.status == Status.SETTLED


def test_a_correction_goes_through_the_rules():
    project, _day = accepted_project()
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    with pytest.raises(Refused):  # an effective date before the work was done
        services.correct_event(
            project=project,
            event=acceptance,
            actor=leader(project),
            reason="Sai ngày",
            effective_date=D(2000, 1, 1),
        )
    with pytest.raises(Refused):
        services.correct_event(
            project=project, event=acceptance, actor=leader(project), reason="Không đổi gì"
        )
    with pytest.raises(Refused):  # above the budget
        services.correct_event(
            project=project,
            event=acceptance,
            actor=leader(project),
            reason="Sai giá trị",
            amount=10**12,
        )
    assert not Annulment.objects.exists()


@pytest.mark.parametrize(
    "role, allowed",
    [(Role.DEPARTMENT_LEADER, True), (Role.CENTRE_STAFF, False), (Role.SYSTEM_ADMIN, True)],
)
def test_who_may_annul(role, allowed):
    project, day = accepted_project()
    row = pay(project, day, 1_000_000)
    actor = user(role, province_id=project.province_id) if role != Role.SYSTEM_ADMIN else user(role)
    if allowed:
        services.annul_progress(project=project, progress_update=row, actor=actor, reason="Trùng")
    else:
        with pytest.raises(Refused) as refused:
            services.annul_progress(
                project=project, progress_update=row, actor=actor, reason="Trùng"
            )
        assert refused.value.code == "permission"


def test_refusals_change_nothing():
    project, day = accepted_project()
    row = pay(project, day, 1_000_000)
    actor = leader(project)
    register = project.events.get(kind=EventKind.REGISTER)
    with pytest.raises(Refused):
        services.annul_event(project=project, event=register, actor=actor, reason="Sai")
    with pytest.raises(Refused):
        services.annul_progress(project=project, progress_update=row, actor=actor, reason="  ")
    with pytest.raises(services.VersionConflict):
        services.annul_progress(
            project=project,
            progress_update=row,
            actor=actor,
            reason="Trùng",
            expected_version=project.version - 1,
        )
    services.annul_progress(project=project, progress_update=row, actor=actor, reason="Trùng")
    with pytest.raises(Refused):
        services.annul_progress(project=project, progress_update=row, actor=actor, reason="Lại")
    assert Annulment.objects.count() == 1


def test_work_done_cannot_lose_its_start_step():
    project = make_project()
    walk(project, Status.IN_PROGRESS)
    start = project.events.get(kind=EventKind.START)
    actor = leader(project)
    with pytest.raises(Refused):
        services.annul_event(project=project, event=start, actor=actor, reason="Sai")
    (entry,) = project.progress_updates.all()
    services.annul_progress(project=project, progress_update=entry, actor=actor, reason="Sai")
    assert project.status == Status.IN_PROGRESS  # the start step stays …
    services.annul_event(project=project, event=start, actor=actor, reason="Chưa bắt đầu")
    assert project.status == Status.CONTRACTED  # … until annulled on its own


def test_dry_run_writes_nothing():
    project, day = accepted_project()
    row = pay(project, day, 1_000_000)
    version = project.version
    services.annul_progress(
        project=project, progress_update=row, actor=leader(project), reason="Trùng", dry_run=True
    )
    assert not Annulment.objects.exists()
    assert project.version == version
    assert current(project).disbursed == 1_000_000


def test_an_annulled_adjustment_gives_back_the_approved_budget_in_an_invented_province():
    unit = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name="Lạng Sơn")
    commune = AdminUnit.objects.filter(parent__parent=unit, level=Level.COMMUNE).first()
    plan = make_plan(unit=unit)
    project = make_project(plan, budget=100_000_000, place=commune)
    day = walk(project, Status.ADJUSTMENT_REQUESTED)
    from khuyencong.projects.models import Budget

    adjustment = step(
        project,
        EventKind.APPROVE_ADJUSTMENT,
        day + datetime.timedelta(days=1),
        new_budget=Budget(local=80_000_000),
    )
    assert project.budget_local == 80_000_000
    assert current(project).plan_budget == 80_000_000
    actor = user(Role.DEPARTMENT_LEADER, scope_level=ScopeLevel.PROVINCE, province=unit)
    services.annul_event(project=project, event=adjustment, actor=actor, reason="Sai quyết định")
    assert project.status == Status.ADJUSTMENT_REQUESTED
    assert project.budget_local == 100_000_000
    assert current(project).plan_budget == 100_000_000
    tally = PlanTally.objects.get(plan=plan, province=unit)
    assert tally.allocated == 100_000_000
