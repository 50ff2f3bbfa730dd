"""The report builder on the demo database: statuses, money, assignment, scope, periods."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import OrganisationName
from khuyencong.documents import wording
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.projects import services as project_services
from khuyencong.projects.models import Budget, Project
from khuyencong.projects.selectors import ProjectState
from khuyencong.reports import compose
from khuyencong.reports.builder import (
    PERCENT_STATED_FROM,
    ReportRefused,
    build_report,
    national_agency,
    report_status,
    review_subject,
    stated_reason,
)
from khuyencong.reports.data import NextYearOutcome, ReportStatus

D = datetime.date
S = ReportStatus


def lines_by_code(data):
    return {line.reference: line for section in data.sections for line in section.projects}


# What the seed states for each demo project at 30/06/2018.
SEED_STATUS = {
    "BK-KCQG-2018-01": (S.CONTRACT_SIGNED, None, ""),
    "BK-KCQG-2018-02": (S.UNDER_REVIEW, None, "thị trường máy móc thiết bị"),
    "BK-KCQG-2018-03": (S.STOP_REQUESTED, None, "đơn vị gặp khó khăn về thị trường tiêu thụ"),
    "BK-KCDP-2018-01": (S.COMPLETED, None, ""),
    "BK-KCDP-2018-02": (S.COMPLETED, None, ""),
    "BK-KCDP-2018-03": (S.IN_PROGRESS, 50, ""),
    "BK-KCDP-2018-04": (S.IN_PROGRESS, 50, ""),
    "BK-KCDP-2018-05": (S.IN_PROGRESS, 50, ""),
    "BK-KCDP-2018-06": (S.IN_PROGRESS, 50, ""),
    "BK-KCDP-2018-07": (S.STOP_REQUESTED, None, ""),  # its reason only repeats the request
    "BK-KCDP-2018-08": (S.STOP_REQUESTED, None, ""),
    "BK-KCDP-2018-09": (S.NOT_STARTED, None, ""),
    "BK-KCDP-2018-10": (S.NOT_STARTED, None, ""),
}


def test_each_demo_project_is_stated_as_the_seed_states_it(demo):
    data = build_report(user=demo.users["canbo"], province=demo.province, year=2018, period="H1")
    lines = lines_by_code(data)
    assert data.as_of == D(2018, 6, 30)
    stated = {code: (x.status, x.progress_percent, x.status_note) for code, x in lines.items()}
    assert stated == SEED_STATUS


def test_sections_money_assignment_and_names(demo):
    data = build_report(user=None, province=demo.province, year=2018, period="H1")
    national, local = data.sections
    assert (national.source_code, local.source_code) == ("national", "local")
    assert (national.total_budget, local.total_budget) == (600_000_000, 529_000_000)
    assert national.implementer == "Trung tâm Khuyến công và Xúc tiến thương mại"
    assert national.content_summary == "hỗ trợ ứng dụng máy móc thiết bị"
    assert local.content_summary == ""
    # the national agency, named as it was called in 2018, assigned in May
    assert national.assigned_by == "Cục Công Thương địa phương"
    assert national.assigned_on == D(2018, 5, 8)
    assert local.assigned_by == ""  # the department assigned its own centre: not stated
    assert data.authority.name_in_text == "Sở Công Thương"
    assert data.authority.parent == "UBND TỈNH BẮC KẠN"
    assert data.scope_label == "tỉnh Bắc Kạn"
    lines = lines_by_code(data)
    tan_thanh = lines["BK-KCQG-2018-01"]
    assert tan_thanh.place_label == "xã Nông Thượng, thành phố Bắc Kạn"
    assert tan_thanh.beneficiary_label == "HTX Nông nghiệp Tân Thành"
    assert (tan_thanh.budget, tan_thanh.disbursed) == (250_000_000, 100_000_000)
    assert lines["BK-KCDP-2018-01"].place == ()  # province-wide work: no place stated
    # signer and focus from the report settings the demo loads
    assert data.signer.name == "Nông Thị Thảo"
    assert data.local_programme == "Chương trình khuyến công tỉnh Bắc Kạn giai đoạn 2016 – 2020"


def test_the_agency_name_is_the_one_it_bore_when_it_assigned(demo):
    agency = national_agency()
    OrganisationName(
        organisation=agency, name="Cục Công nghiệp địa phương", valid_to=D(2018, 5, 31)
    ).save()
    data = build_report(user=None, province=demo.province, year=2018, period="H1")
    assert data.sections[0].assigned_by == "Cục Công nghiệp địa phương"


def test_later_dates_show_later_states(demo):
    data = build_report(user=None, province=demo.province, year=2018, period="Y")
    lines = lines_by_code(data)
    assert data.as_of == D(2018, 12, 31)
    assert lines["BK-KCQG-2018-01"].status == S.COMPLETED  # settled in December
    assert lines["BK-KCQG-2018-03"].status == S.STOPPED
    assert lines["BK-KCDP-2018-08"].status == S.STOP_REQUESTED
    assert lines["BK-KCDP-2018-09"].status == S.COMPLETED
    assert lines["BK-KCQG-2018-01"].disbursed == 250_000_000


def test_a_report_to_any_date(demo):
    data = build_report(
        user=None, province=demo.province, year=2018, period=wording.TO_DATE, as_of=D(2018, 8, 12)
    )
    assert data.period.label == "năm 2018 (đến ngày 12/8/2018)"
    assert data.as_of == D(2018, 8, 12)
    assert lines_by_code(data)["BK-KCQG-2018-03"].status == S.STOPPED  # stop decided 10/8


def test_a_quarter_report_states_the_projects_on_its_last_day(demo):
    data = build_report(user=None, province=demo.province, year=2018, period="Q1")
    lines = lines_by_code(data)
    assert data.as_of == D(2018, 3, 31)
    assert lines["BK-KCQG-2018-01"].status == S.NOT_STARTED  # approved, not yet assigned
    assert data.period.remainder_label == "9 tháng cuối năm 2018"


def test_proposals_not_yet_approved_are_not_in_the_report(demo):
    from khuyencong.catalog.models import ContentArea
    from khuyencong.plans.models import Plan

    plan = Plan.objects.get(year=2018, funding_source__code="local")
    project_services.create_project(
        actor=project_services.SYSTEM,
        code="BK-KCDP-2018-99",
        title="Đề án mới đăng ký",
        content_area=ContentArea.objects.get(code="information"),
        implementing_unit=Project.objects.first().implementing_unit,
        place=demo.province,
        registered_on=D(2018, 3, 1),
        plan=plan,
        budget=Budget(local=1_000_000),
    )
    data = build_report(user=None, province=demo.province, year=2018, period="H1")
    assert "BK-KCDP-2018-99" not in lines_by_code(data)


def test_users_report_only_on_their_scope(demo):
    cao_bang = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="04")
    with pytest.raises(ReportRefused):
        build_report(user=demo.users["canbo"], province=cao_bang, year=2018, period="H1")
    with pytest.raises(ReportRefused):
        build_report(user=demo.users["canbo"], province=None, year=2018, period="H1")
    with pytest.raises(ReportRefused):  # district officers see projects, not reports
        build_report(user=demo.users["huyen"], province=demo.province, year=2018, period="H1")
    with pytest.raises(ReportRefused):
        build_report(user=demo.users["htx"], province=demo.province, year=2018, period="H1")


def test_a_national_report_names_the_province_of_each_place(demo):
    data = build_report(user=demo.users["quocgia"], province=None, year=2018, period="H1")
    lines = lines_by_code(data)
    assert len(lines) == 13
    assert data.scope_label == "cả nước"
    assert data.authority.parent == "BỘ CÔNG THƯƠNG"
    assert lines["BK-KCQG-2018-02"].place_label == "xã Cường Lợi, huyện Na Rì, tỉnh Bắc Kạn"
    assert data.next_year is None
    assert data.sections[0].assigned_by == ""  # the agency's own report


def test_the_decree_cited_follows_the_date(demo):
    assert (
        "235/2025"
        not in build_report(user=None, province=demo.province, year=2018, period="H1").legal_basis
    )
    later = build_report(user=None, province=demo.province, year=2026, period="H1")
    assert later.legal_basis.startswith("Nghị định số 45/2012/NĐ-CP ngày 21/5/2012")
    assert "Nghị định số 235/2025/NĐ-CP ngày 27/8/2025" in later.legal_basis
    assert later.sections == ()


def test_next_year_states_the_seed_outcome_from_the_registrations(demo):
    # the demo's 2019 registrations (registrations app): received, none fits the national fund
    data = build_report(user=None, province=demo.province, year=2018, period="H1")
    assert data.next_year is not None and data.next_year.year == 2019
    assert data.next_year.registrations_received
    assert data.next_year.outcome == NextYearOutcome.NO_NATIONAL_SOURCE
    text = compose.default_next_year_text(data)
    assert "chưa có “Nguồn” để xây dựng kế hoạch kinh phí khuyến công quốc gia năm 2019" in text


def test_next_year_before_any_registration_says_none_were_received(demo):
    data = build_report(user=None, province=demo.province, year=2018, period="Q1")
    assert data.next_year is not None and not data.next_year.registrations_received


# ---------------------------------------------------------------------------- pure rules


def state(status, percent=0, under_review=False):
    return ProjectState(
        day=D(2018, 6, 30),
        status=status,
        under_review=under_review,
        progress_percent=percent,
        advanced=0,
        disbursed=0,
        budget=Budget(),
        plan_budget=0,
        accepted_amount=None,
        settled_amount=None,
        retained_amount=None,
    )


@pytest.mark.parametrize(
    ("status", "percent", "under_review", "expected"),
    [
        (None, 0, False, None),
        ("registered", 0, False, None),
        ("appraised", 0, False, None),
        ("approved", 0, False, (S.NOT_STARTED, None)),
        ("assigned", 0, False, (S.NOT_STARTED, None)),
        ("assigned", 0, True, (S.UNDER_REVIEW, None)),
        ("contracted", 0, False, (S.CONTRACT_SIGNED, None)),
        ("in_progress", PERCENT_STATED_FROM - 1, False, (S.CONTRACT_SIGNED, None)),
        ("in_progress", PERCENT_STATED_FROM, False, (S.IN_PROGRESS, PERCENT_STATED_FROM)),
        ("in_progress", 75, True, (S.UNDER_REVIEW, None)),
        ("in_progress", 100, False, (S.COMPLETED, None)),
        ("accepted", 100, False, (S.COMPLETED, None)),
        ("settled", 100, False, (S.COMPLETED, None)),
        ("adjustment_requested", 20, False, (S.ADJUSTMENT_REQUESTED, None)),
        ("stop_requested", 0, False, (S.STOP_REQUESTED, None)),
        ("stopped", 0, False, (S.STOPPED, None)),
    ],
)
def test_report_status_table(status, percent, under_review, expected):
    line = report_status(state(status, percent, under_review))
    assert (None if line is None else (line.status, line.progress_percent)) == expected


@pytest.mark.parametrize(
    ("note", "subject"),
    [
        (
            "Đang nghiên cứu thị trường máy móc thiết bị để xem xét xin điều chỉnh",
            "thị trường máy móc thiết bị",
        ),
        ("đang nghiên cứu Phương Án Mới để quyết định", "Phương Án Mới"),
        ("Chờ ý kiến của Sở", ""),
        ("", ""),
    ],
)
def test_review_subject(note, subject):
    assert review_subject(note) == subject


@pytest.mark.parametrize(
    ("reason", "stated"),
    [
        (
            "Đơn vị gặp khó khăn về thị trường tiêu thụ.",
            "đơn vị gặp khó khăn về thị trường tiêu thụ",
        ),
        ("Đơn vị thụ hưởng có văn bản xin dừng thực hiện đề án", ""),
        ("Xin điều chỉnh nội dung hỗ trợ: thay đổi máy", ""),
        ("  ", ""),
    ],
)
def test_stated_reason(reason, stated):
    assert stated_reason(reason) == stated


@pytest.mark.parametrize("scope", ["province", "national"])
def test_the_projects_are_read_in_one_query_whatever_their_number(demo, scope):
    """The report reads only some columns of each project (``PROJECT_ROW_FIELDS``): what it
    states must be among them, or each project would cost a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    province = demo.province if scope == "province" else None
    with CaptureQueriesContext(connection) as captured:
        data = build_report(user=None, province=province, year=2018, period="H1")
    assert len(lines_by_code(data)) == 13
    project_tables = ('"projects_project"', '"places_adminunit"', '"accounts_organisation"')
    single_rows = [
        query["sql"]
        for query in captured.captured_queries
        if "LIMIT 21" in query["sql"] and query["sql"].split(" WHERE ")[0].endswith(project_tables)
    ]
    assert single_rows == []
