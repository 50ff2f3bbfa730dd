"""The one date rule (``projects.dates``) on every dated write of a project: events, progress
(advances and payments), inspections, documents and group participants. Each bound (the plan's
period and its grace, today plus the allowance, the last recorded date) is refused by the
service with one Vietnamese message, nothing changes, and the form shows the same message.

The land is an invented province (Đông Nhóm) with a 2024–2026 plan; "today" is fixed."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.accounts.models import Role
from khuyencong.projects import dates, groups, services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import (
    DisbursementKind,
    EventKind,
    GroupMember,
    Inspection,
    ProjectDocument,
    Status,
)
from khuyencong.projects.services import SYSTEM

from . import factories as pf
from .group_shapes import approve, shape
from .test_lifecycle_table import snapshot

D = datetime.date
TODAY = D(2025, 6, 30)  # within the plan's period: the future bound is 07/07/2025
BACKEND = "django.contrib.auth.backends.ModelBackend"


# --------------------------------------------------------------------------- the rule itself

days = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))


@given(
    year=st.integers(1995, 2050),
    length=st.integers(0, 5),
    grace=st.integers(0, 4),
    allowance=st.integers(0, 30),
    today=days,
    day=days,
    last=st.none() | days,
    kind=st.sampled_from(sorted(dates.KINDS)),
)
def test_the_rule_accepts_exactly_the_days_within_every_bound(
    year, length, grace, allowance, today, day, last, kind
):
    period = dates.Period(year, year + length, grace)
    rule = dates.Rule(period, today, allowance, last)
    what = dates.KINDS[kind]
    expected = (
        D(year - 1, 1, 1) <= day <= D(year + length + grace, 12, 31)
        and (what.plan or day <= today + datetime.timedelta(days=allowance))
        and (not what.follows_steps or last is None or day >= last)
    )
    assert dates.accepts(rule, day, kind) == expected


def test_the_message_names_the_date_the_bound_and_why():
    rule = dates.Rule(dates.Period(2018, 2018, 1), D(2040, 1, 1), 7)
    with translation.override("vi"):
        code, message = dates.problem(rule, D(2031, 3, 5), "payment")
    assert code == dates.OUTSIDE_PERIOD
    assert message == (
        "Ngày thanh toán 05/03/2031 quá xa thời kỳ của kế hoạch 2018 (cho phép từ 2017 đến 2019)."
    )
    rule = dates.Rule(dates.Period(2024, 2026, 1), D(2025, 6, 30), 7, D(2025, 3, 1))
    with translation.override("vi"):
        assert dates.problem(rule, D(2025, 7, 8), "advance") == (
            dates.IN_FUTURE,
            "Ngày tạm ứng 08/07/2025 ở tương lai: chỉ ghi nhận được đến ngày 07/07/2025 "
            "(hôm nay cộng 7 ngày).",
        )
        assert dates.problem(rule, D(2025, 2, 28), "effective_date") == (
            dates.OUT_OF_ORDER,
            "Ngày hiệu lực 28/02/2025 sớm hơn bước gần nhất đã ghi nhận của đề án (01/03/2025).",
        )
    # planned dates are plans: the future is allowed, the period still bounds them
    assert dates.accepts(rule, D(2027, 12, 31), "planned_date")
    assert not dates.accepts(rule, D(2028, 1, 1), "follow_up_deadline")


# --------------------------------------------------------------------------- the services


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def land(db, today):
    return shape("three_levels")  # Đông Nhóm, plan 2024–2026


@pytest.fixture
def contracted(land):
    """A centre-run project of Đông Nhóm, contracted on 13/01/2024."""
    project = pf.make_project(
        land.plan, place=land.communes[0], registered_on=D(2024, 1, 2), budget=100_000_000
    )
    day = pf.walk(project, Status.CONTRACTED, D(2024, 1, 9))
    assert day == D(2024, 1, 13)
    return project


def refused(project, code, call, /, **kwargs):
    """``call`` is refused with ``code`` and a Vietnamese message; nothing changed."""
    before = snapshot(project)
    with translation.override("vi"), pytest.raises(Refused) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert snapshot(project) == before
    return caught.value.message


def test_a_step_keeps_to_the_period_today_and_the_last_step(contracted):
    project = contracted
    kwargs = dict(project=project, kind=EventKind.REQUEST_ADJUSTMENT, actor=SYSTEM, reason="Lý do")
    call = services.project_transition
    message = refused(
        project, "date_within_plan_years", call, effective_date=D(2028, 1, 1), **kwargs
    )
    assert message.startswith("Ngày hiệu lực 01/01/2028 quá xa thời kỳ của kế hoạch 2024–2026")
    assert "từ 2023 đến 2027" in message
    message = refused(project, "date_in_future", call, effective_date=D(2025, 7, 8), **kwargs)
    assert "07/07/2025" in message
    refused(project, "date_in_order", call, effective_date=D(2024, 1, 12), **kwargs)
    message = refused(
        project,
        "date_in_future",
        call,
        effective_date=D(2025, 7, 1),
        document_date=D(2025, 7, 8),
        **kwargs,
    )
    assert message.startswith("Ngày văn bản 08/07/2025")
    services.project_transition(effective_date=D(2025, 7, 7), **kwargs)  # today + 7 days


def test_progress_advances_and_payments_keep_to_the_rule(contracted):
    project = contracted
    call = services.record_progress
    kwargs = dict(project=project, actor=SYSTEM, progress_percent=30)
    message = refused(project, "date_in_order", call, date=D(2024, 1, 12), **kwargs)
    assert message.startswith("Ngày cập nhật tiến độ 12/01/2024 sớm hơn")
    advance = dict(kwargs, disbursed_amount=10_000_000)
    message = refused(project, "date_within_plan_years", call, date=D(2031, 3, 5), **advance)
    assert message.startswith("Ngày tạm ứng 05/03/2031 quá xa thời kỳ của kế hoạch 2024–2026")
    message = refused(project, "date_in_future", call, date=D(2025, 12, 1), **advance)
    assert message.startswith("Ngày tạm ứng 01/12/2025 ở tương lai")
    services.record_progress(date=D(2025, 5, 1), **advance)
    services.record_progress(
        project=project, actor=SYSTEM, date=D(2025, 5, 2), progress_percent=100
    )
    pf.step(project, EventKind.ACCEPT, D(2025, 5, 3))
    payment = dict(
        project=project,
        actor=SYSTEM,
        progress_percent=100,
        disbursed_amount=5_000_000,
        disbursement_kind=DisbursementKind.PAYMENT,
    )
    message = refused(project, "date_in_order", call, date=D(2025, 5, 2), **payment)
    assert message.startswith("Ngày thanh toán 02/05/2025 sớm hơn bước gần nhất")
    message = refused(project, "date_in_future", call, date=D(2025, 8, 1), **payment)
    assert message.startswith("Ngày thanh toán 01/08/2025 ở tương lai")


def test_the_grace_setting_moves_the_period_s_end(contracted, monkeypatch):
    monkeypatch.setattr(dates, "local_today", lambda: D(2029, 6, 1))
    project = contracted
    kwargs = dict(project=project, actor=SYSTEM, progress_percent=30, disbursed_amount=1_000_000)
    message = refused(
        project, "date_within_plan_years", services.record_progress, date=D(2028, 3, 1), **kwargs
    )
    assert "(cho phép từ 2023 đến 2027)" in message
    with override_settings(DATE_GRACE_YEARS=2):
        services.record_progress(date=D(2028, 3, 1), **kwargs)
    assert project.progress_updates.get().date == D(2028, 3, 1)


def test_the_allowance_setting_moves_the_future_bound(contracted):
    kwargs = dict(project=contracted, actor=SYSTEM, progress_percent=30, date=D(2025, 7, 3))
    with override_settings(DATE_FUTURE_DAYS=0):
        refused(contracted, "date_in_future", services.record_progress, **kwargs)
    services.record_progress(**kwargs)


def test_inspections_plan_ahead_but_are_held_by_today(contracted):
    project = contracted
    staff = pf.user(Role.CENTRE_STAFF, province=project.province)
    call = services.create_inspection
    # an inspection may visit a project after later steps; planned dates may be ahead
    planned = call(project=project, actor=staff, planned_date=D(2026, 3, 1))
    message = refused(project, "date_within_plan_years", call, project=project, actor=staff,
                      planned_date=D(2028, 1, 2))  # fmt: skip
    assert message.startswith("Ngày kiểm tra dự kiến 02/01/2028")
    message = refused(project, "date_in_future", call, project=project, actor=staff,
                      planned_date=D(2025, 6, 1), held_date=D(2025, 7, 8))  # fmt: skip
    assert message.startswith("Ngày kiểm tra 08/07/2025 ở tương lai")
    call(project=project, actor=staff, planned_date=D(2024, 1, 5), held_date=D(2024, 1, 5),
         follow_up_status="open", follow_up_deadline=D(2026, 12, 31))  # fmt: skip
    assert Inspection.objects.filter(project=project).count() == 2
    with translation.override("vi"), pytest.raises(Refused) as caught:
        services.update_inspection(
            inspection=planned, actor=staff, expected_version=planned.version,
            follow_up_status="open", follow_up_deadline=D(2028, 1, 1),
        )  # fmt: skip
    assert caught.value.message.startswith("Hạn khắc phục 01/01/2028 quá xa")
    planned.refresh_from_db()
    assert planned.follow_up_deadline is None


def test_documents_may_be_older_than_the_last_step_but_not_in_the_future(contracted):
    project = contracted
    staff = pf.user(Role.CENTRE_STAFF, province=project.province)

    def upload(day):
        return services.add_document(
            project=project, actor=staff, doc_type="decision", title="Quyết định",
            file=SimpleUploadedFile("qd.pdf", b"%PDF-1.4 decision"), date=day,
        )  # fmt: skip

    upload(D(2023, 12, 20))  # the registration's dossier, before every step
    message = refused(project, "date_in_future", upload, day=D(2025, 9, 1))
    assert message.startswith("Ngày tài liệu 01/09/2025 ở tương lai")
    refused(project, "date_within_plan_years", upload, day=D(2022, 12, 31))
    assert ProjectDocument.objects.filter(project=project).count() == 1


def test_participants_decisions_keep_to_the_rule(land):
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(2024, 1, 2), budget=10**8
    )
    approve(project, 2024)
    who = land.establishments[0]

    def add(decision_date, joined_on=None):
        return groups.add_member(
            project=project, actor=SYSTEM, beneficiary=who, place=who.commune,
            support_amount=1_000_000, decision_number="1/QĐ", decision_date=decision_date,
            joined_on=joined_on,
        )  # fmt: skip

    message = refused(project, "date_in_future", add, decision_date=D(2025, 8, 1))
    assert message.startswith("Ngày quyết định 01/08/2025 ở tương lai")
    message = refused(project, "date_in_future", add, decision_date=D(2025, 6, 1),
                      joined_on=D(2025, 7, 9))  # fmt: skip
    assert message.startswith("Ngày tham gia 09/07/2025")
    member = add(D(2024, 2, 1))
    with translation.override("vi"), pytest.raises(Refused) as caught:
        groups.end_membership(
            member=member, actor=SYSTEM, left_on=D(2028, 2, 1), decision_number="2/QĐ",
            reason="Cơ sở xin rút",
        )  # fmt: skip
    assert caught.value.message.startswith("Ngày rời đề án 01/02/2028 quá xa")
    assert GroupMember.objects.get(pk=member.pk).left_on is None


def test_a_project_without_a_plan_keeps_to_its_own_years(land):
    project = pf.make_project(land.plan, place=land.communes[0], registered_on=D(2024, 1, 2))
    project.plan = None
    project.save(update_fields=["plan"])
    staff = pf.user(Role.CENTRE_STAFF, province=project.province)
    message = refused(project, "date_within_plan_years", services.create_inspection,
                      project=project, actor=staff, planned_date=D(2026, 1, 1))  # fmt: skip
    assert "thời gian của đề án 2024" in message
    services.create_inspection(project=project, actor=staff, planned_date=D(2025, 1, 1))


# --------------------------------------------------------------------------- the forms


def login(client, who):
    client.force_login(who, backend=BACKEND)


def form_errors(response):
    assert response.status_code == 200
    form = response.context["form"]
    return [str(e) for errs in form.errors.values() for e in errs]


def test_the_forms_show_the_services_refusal(client, contracted):
    project = contracted
    staff = pf.user(Role.CENTRE_STAFF, province=project.province)
    login(client, staff)
    progress = client.post(
        reverse("projects:progress", args=[project.pk]),
        {"date": "2025-12-01", "progress_percent": 30, "disbursed_amount": "1.000.000",
         "disbursement_kind": "advance", "note": "", "expected_version": project.version},
    )  # fmt: skip
    assert any(e.startswith("Ngày tạm ứng 01/12/2025 ở tương lai") for e in form_errors(progress))
    step = client.post(
        reverse("projects:step", args=[project.pk, "request_adjustment"]),
        {"effective_date": "2028-01-01", "reason": "Lý do", "expected_version": project.version},
    )
    assert any("Ngày hiệu lực 01/01/2028 quá xa" in e for e in form_errors(step))
    inspection = client.post(
        reverse("projects:inspection_create", args=[project.pk]),
        {"planned_date": "2025-06-01", "held_date": "2025-07-08", "team": "Đoàn",
         "findings": "", "recommendations": "", "follow_up_status": "none",
         "follow_up_deadline": "", "expected_version": project.version},
    )  # fmt: skip
    assert any(e.startswith("Ngày kiểm tra 08/07/2025") for e in form_errors(inspection))
    document = client.post(
        reverse("projects:document_create", args=[project.pk]),
        {"doc_type": "decision", "title": "Quyết định", "number": "1", "date": "2025-09-01",
         "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 decision"),
         "expected_version": project.version},
    )  # fmt: skip
    assert any(e.startswith("Ngày tài liệu 01/09/2025") for e in form_errors(document))
    assert not project.progress_updates.exists()
    assert project.events.count() == 5
    assert not Inspection.objects.filter(project=project).exists()
    assert not ProjectDocument.objects.filter(project=project).exists()


def test_the_participant_form_shows_the_refusal(client, land):
    project = pf.make_project(
        land.plan, kind="group", place=land.province, registered_on=D(2024, 1, 2), budget=10**8
    )
    approve(project, 2024)
    who = land.establishments[0]
    login(client, land.leader)
    response = client.post(
        reverse("projects:member_add", args=[project.pk]),
        {"beneficiary": who.pk, "place": who.commune.pk, "support_amount": "1.000.000",
         "decision_number": "1/QĐ", "decision_date": "2025-08-01", "issuer": "Sở Công Thương",
         "joined_on": "", "expected_version": project.version},
    )  # fmt: skip
    assert any(e.startswith("Ngày quyết định 01/08/2025") for e in form_errors(response))
    assert not GroupMember.objects.filter(project=project).exists()
