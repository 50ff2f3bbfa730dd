"""Reports read only the records that count (issue 20): an annulled duplicate payment is not
in the disbursed sums, a project whose acceptance was annulled is no longer completed. An
invented province (Lạng Sơn, legacy units), not the Bắc Kạn demo."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects import services
from khuyencong.projects.models import DisbursementKind, EventKind, Status
from khuyencong.projects.selectors import state_of
from khuyencong.projects.services import SYSTEM
from khuyencong.reports.builder import build_report
from khuyencong.reports.data import ReportStatus
from tests.projects.factories import make_plan, make_project, user, walk

pytestmark = pytest.mark.django_db


def test_annulled_payment_and_acceptance_leave_the_report():
    unit = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name="Lạng Sơn")
    commune = AdminUnit.objects.filter(parent__parent=unit, level=Level.COMMUNE).first()
    plan = make_plan(unit=unit, year=2019)
    project = make_project(plan, budget=100_000_000, place=commune, code="LS-2019-07")
    day = walk(project, Status.ACCEPTED)
    payments = [
        services.record_progress(
            project=project,
            actor=SYSTEM,
            date=day + datetime.timedelta(days=1),
            progress_percent=100,
            disbursed_amount=10_000_000,
            disbursement_kind=DisbursementKind.PAYMENT,
        )
        for _ in range(2)
    ]
    leader = user(Role.DEPARTMENT_LEADER, scope_level=ScopeLevel.PROVINCE, province=unit)

    def line():
        data = build_report(user=leader, province=unit, year=2019, period="Y")
        (found,) = [x for s in data.sections for x in s.projects if x.reference == project.code]
        return found

    assert (line().status, line().disbursed) == (ReportStatus.COMPLETED, 20_000_000)
    services.annul_progress(
        project=project, progress_update=payments[1], actor=leader, reason="Chi trùng"
    )
    assert (line().status, line().disbursed) == (ReportStatus.COMPLETED, 10_000_000)
    services.annul_progress(
        project=project, progress_update=payments[0], actor=leader, reason="Chưa chi"
    )
    acceptance = project.events.get(kind=EventKind.ACCEPT)
    services.annul_event(project=project, event=acceptance, actor=leader, reason="Chưa nghiệm thu")
    # the report states 100 % of work done as completed even before an acceptance
    assert line().status == ReportStatus.COMPLETED
    assert state_of(project).status == Status.IN_PROGRESS
    assert state_of(project).accepted_amount is None
    finished = project.progress_updates.get(progress_percent=100, disbursed_amount=0)
    services.annul_progress(
        project=project, progress_update=finished, actor=leader, reason="Chưa xong"
    )
    assert line().status != ReportStatus.COMPLETED
    assert state_of(project).progress_percent == 30
