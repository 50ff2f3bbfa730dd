"""Every obligation kind on dated fixtures, and done-ness by the fulfilling event."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.contests.models import Complaint
from khuyencong.deadlines import obligations
from khuyencong.deadlines.models import DayUnit, ObligationKind, ObligationRule
from khuyencong.projects import services
from khuyencong.projects.models import EventKind, Inspection, Status
from khuyencong.projects.services import SYSTEM
from khuyencong.reports.models import ReportState, SavedReport, SignoffStatus
from tests.contests import factories as cf
from tests.deadlines.conftest import project_in
from tests.projects import factories as pf
from tests.registrations import factories as rf

D = datetime.date
K = ObligationKind
pytestmark = pytest.mark.django_db


def of_kind(as_of: datetime.date, kind: str, **kwargs) -> list[obligations.Obligation]:
    return [o for o in obligations.compute(as_of, **kwargs) if o.kind == kind]


JAN_10 = D(2019, 1, 10)


def in_progress(place, year=2019, start=JAN_10):
    project = project_in(place, year)
    pf.walk(project, Status.IN_PROGRESS, start)  # work starts (progress 30 %) on 15/01
    return project


def test_monthly_progress_due_late_and_done_by_a_progress_entry(lang_son):
    project = in_progress(lang_son)
    as_of = D(2019, 3, 20)
    found = {o.key: o for o in of_kind(as_of, K.MONTHLY_PROGRESS)}
    march = found[f"monthly_progress:project:{project.pk}:2019-03"]
    february = found[f"monthly_progress:project:{project.pk}:2019-02"]
    assert march.due == D(2019, 3, 25) and not march.is_late and not march.done
    assert february.due == D(2019, 2, 25) and february.late_days == 23
    assert march.role == "centre_staff" and march.province_id == lang_son.province.pk

    # progress entries are recorded in date order: February's late one first
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2019, 2, 22), progress_percent=40
    )
    found = {o.key: o for o in of_kind(as_of, K.MONTHLY_PROGRESS)}
    assert february.key not in found  # last month's is listed only while missing
    assert not found[march.key].done
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2019, 3, 18), progress_percent=50
    )
    found = {o.key: o for o in of_kind(as_of, K.MONTHLY_PROGRESS)}
    assert found[march.key].done and found[march.key].done_on == D(2019, 3, 18)
    # as of a day before the entry, March's report is not done yet
    earlier = {o.key: o for o in of_kind(D(2019, 3, 17), K.MONTHLY_PROGRESS)}
    assert not earlier[march.key].done


def test_monthly_progress_not_before_the_work_started(lang_son):
    project = in_progress(lang_son, start=D(2019, 3, 1))  # started 06/03
    keys = {o.key for o in of_kind(D(2019, 3, 20), K.MONTHLY_PROGRESS)}
    assert keys == {f"monthly_progress:project:{project.pk}:2019-03"}
    assert of_kind(D(2019, 2, 20), K.MONTHLY_PROGRESS) == []  # not in progress yet


def test_a_province_rule_wins_over_the_national_one(lang_son, ca_mau):
    ls = in_progress(lang_son)
    cm = in_progress(ca_mau)
    ObligationRule.objects.create(
        kind=K.MONTHLY_PROGRESS,
        province=ca_mau.province,
        responsible_role="centre_staff",
        due_day=20,
        valid_from=D(2019, 1, 1),
    )
    due = {o.record_id: o.due for o in of_kind(D(2019, 3, 10), K.MONTHLY_PROGRESS)}
    assert due[cm.pk] == D(2019, 3, 20)
    assert due[ls.pk] == D(2019, 3, 25)


def test_scoped_to_the_user(lang_son, ca_mau):
    ls = in_progress(lang_son)
    in_progress(ca_mau)
    mine = obligations.for_user(lang_son.centre_user, D(2019, 3, 20))
    assert {o.record_id for o in mine} == {ls.pk}
    assert obligations.for_user(lang_son.leader, D(2019, 3, 20)) == []  # not the leader's kind


def test_contract_end_and_acceptance(lang_son):
    project = project_in(lang_son, 2019, start_date=D(2019, 3, 1), end_date=D(2019, 10, 31))
    pf.walk(project, Status.ASSIGNED, D(2019, 1, 10))
    (contract,) = of_kind(D(2019, 3, 5), K.CONTRACT_SIGNING)
    assert contract.due == D(2019, 3, 1) and contract.late_days == 4
    pf.step(project, EventKind.CONTRACT, D(2019, 3, 6))
    assert of_kind(D(2019, 3, 7), K.CONTRACT_SIGNING) == []
    services.record_progress(project=project, actor=SYSTEM, date=D(2019, 4, 1), progress_percent=60)
    (end,) = of_kind(D(2019, 11, 4), K.IMPLEMENTATION_END)
    assert end.due == D(2019, 10, 31) and end.late_days == 4 and not end.done
    assert of_kind(D(2019, 9, 1), K.IMPLEMENTATION_END) == []  # 30 days ahead: not yet shown
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2019, 11, 5), progress_percent=100
    )
    pf.step(project, EventKind.ACCEPT, D(2019, 11, 6), amount=project.plan_budget)
    (end,) = of_kind(D(2019, 11, 10), K.IMPLEMENTATION_END)
    assert end.done


def test_under_review_and_requests_awaiting_a_decision(lang_son):
    reviewed = project_in(lang_son, 2019)
    pf.walk(reviewed, Status.ASSIGNED, D(2019, 1, 10))
    pf.step(reviewed, EventKind.UNDER_REVIEW, D(2019, 2, 1))
    (review,) = of_kind(D(2019, 3, 5), K.UNDER_REVIEW)
    assert review.due == D(2019, 3, 3) and review.late_days == 2
    asked = project_in(lang_son, 2019)
    pf.walk(asked, Status.STOP_REQUESTED, D(2019, 1, 10))  # asked on 14/01
    (decision,) = of_kind(D(2019, 2, 20), K.REQUEST_DECISION)
    assert decision.record_id == asked.pk and decision.role == "department_leader"
    assert decision.due == D(2019, 2, 13) and decision.late_days == 7
    pf.step(asked, EventKind.APPROVE_STOP, D(2019, 2, 21))
    assert of_kind(D(2019, 2, 22), K.REQUEST_DECISION) == []


def test_advances_without_acceptance(lang_son):
    project = project_in(lang_son, 2019, budget=100_000_000)
    pf.walk(project, Status.CONTRACTED, D(2019, 1, 10))
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2019, 2, 1), progress_percent=30,
        disbursed_amount=20_000_000,
    )  # fmt: skip
    assert of_kind(D(2019, 6, 1), K.ADVANCE_UNACCEPTED) == []
    (advance,) = of_kind(D(2019, 8, 10), K.ADVANCE_UNACCEPTED)
    assert advance.due == D(2019, 7, 31) and advance.late_days == 10


def test_inspections_visit_then_follow_up(lang_son):
    project = project_in(lang_son, 2019)
    inspection = Inspection.objects.create(project=project, planned_date=D(2019, 5, 10))
    (visit,) = of_kind(D(2019, 5, 12), K.INSPECTION)
    assert visit.key.endswith(f"visit:{inspection.pk}") and visit.late_days == 2
    inspection.held_date = D(2019, 5, 13)
    inspection.follow_up_deadline = D(2019, 6, 30)
    inspection.follow_up_status = "open"
    inspection.save()
    (follow,) = of_kind(D(2019, 7, 3), K.INSPECTION)
    assert follow.key.endswith(f"follow_up:{inspection.pk}") and follow.late_days == 3
    inspection.follow_up_status = "done"
    inspection.save()
    (follow,) = of_kind(D(2019, 7, 3), K.INSPECTION)
    assert follow.done


def test_half_year_and_annual_reports_done_when_issued(lang_son, ca_mau):
    pf.make_plan(year=2019, unit=lang_son.province)
    pf.make_plan(year=2019, unit=ca_mau.province)
    reports = {(o.province_id, o.kind): o for o in obligations.compute(D(2019, 7, 20))}
    h1 = reports[(lang_son.province.pk, K.HALF_YEAR_REPORT)]
    assert h1.due == D(2019, 7, 15) and h1.late_days == 5
    assert (ca_mau.province.pk, K.HALF_YEAR_REPORT) in reports
    assert (lang_son.province.pk, K.ANNUAL_REPORT) not in reports  # not shown yet
    draft = dict(
        province=lang_son.province, year=2019, period="H1", as_of=D(2019, 6, 30),
        issued_on=D(2019, 7, 18), title="Báo cáo 6 tháng", author=lang_son.leader,
        state=ReportState.READY,
    )  # fmt: skip
    SavedReport.objects.create(**draft)  # saved, not signed: the report is still due
    reports = {(o.province_id, o.kind): o for o in obligations.compute(D(2019, 7, 20))}
    assert not reports[(lang_son.province.pk, K.HALF_YEAR_REPORT)].done
    SavedReport.objects.create(**draft, status=SignoffStatus.ISSUED, number="57/BC-SCT")
    reports = {(o.province_id, o.kind): o for o in obligations.compute(D(2019, 7, 20))}
    assert reports[(lang_son.province.pk, K.HALF_YEAR_REPORT)].done
    assert not reports[(ca_mau.province.pk, K.HALF_YEAR_REPORT)].done
    # as of a day before its issue date, it was not done yet
    earlier = {(o.province_id, o.kind): o for o in obligations.compute(D(2019, 7, 17))}
    assert not earlier[(lang_son.province.pk, K.HALF_YEAR_REPORT)].done


def test_registration_window_and_proposal_to_the_national_agency():
    draft = rf.registration(target_year=2019, registered_on=D(2018, 5, 2))
    sent = rf.submitted(
        target_year=2019, funding_source=rf.source("national"), registered_on=D(2018, 5, 10),
        requested_national=80_000_000, requested_local=0,
    )  # fmt: skip
    found = {o.record_id: o for o in of_kind(D(2018, 5, 25), K.REGISTRATION_DOSSIER)}
    assert found[draft.pk].late_days == 5 and not found[draft.pk].done
    assert found[sent.pk].done
    (proposal,) = of_kind(D(2018, 6, 16), K.NATIONAL_PROPOSAL)
    assert proposal.due == D(2018, 6, 15) and proposal.late_days == 1
    assert proposal.province_id == sent.province_id


def test_certificates_expiring_within_90_days():
    _contest, certificates = cf.closed_contest_with_certificates()
    first = certificates[0]
    assert of_kind(first.valid_until - datetime.timedelta(days=91), K.CERTIFICATE_EXPIRY) == []
    found = of_kind(first.valid_until - datetime.timedelta(days=30), K.CERTIFICATE_EXPIRY)
    mine = [o for o in found if o.record_id == first.pk]
    assert mine and mine[0].beneficiary_id == first.beneficiary_id
    assert mine[0].role == "beneficiary"
    assert of_kind(first.valid_until + datetime.timedelta(days=1), K.CERTIFICATE_EXPIRY) == []


def test_complaint_window_in_working_days_across_tet():
    contest, _certificates = cf.closed_contest_with_certificates()
    complaint = Complaint.objects.create(
        contest=contest, complainant="HTX Thử nghiệm", received_on=D(2019, 1, 31),
        content="Khiếu nại kết quả", resolution_deadline=D(2019, 2, 21),
    )  # fmt: skip
    (item,) = of_kind(D(2019, 2, 18), K.COMPLAINT_RESOLUTION)
    # 10 working days after Thursday 31/01/2019: Tết (04–08/02) does not count
    assert item.due == D(2019, 2, 21)
    assert not item.is_late
    (item,) = of_kind(D(2019, 2, 25), K.COMPLAINT_RESOLUTION)
    assert item.late_days == 4
    complaint.resolved_on = D(2019, 2, 20)
    complaint.save()
    (item,) = of_kind(D(2019, 2, 25), K.COMPLAINT_RESOLUTION)
    assert item.done


def test_working_days_from_the_rule():
    rule = ObligationRule(period_days=10, day_unit=DayUnit.WORKING)
    calendar = obligations.WorkCalendar.from_database()
    assert obligations.after(D(2019, 1, 31), rule, calendar) == D(2019, 2, 21)
    rule.day_unit = DayUnit.CALENDAR
    assert obligations.after(D(2019, 1, 31), rule, calendar) == D(2019, 2, 10)
