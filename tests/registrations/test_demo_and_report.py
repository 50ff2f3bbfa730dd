"""The demo 2019 cycle reproduces the seed's outcome, and the report states it.

Seed: registrations for the 2019 plan were received, "chưa có Đề án nào đáp ứng được yêu cầu,
mục tiêu của đề án khuyến công Quốc gia, do đó … chưa có “Nguồn” để xây dựng kế hoạch kinh
phí khuyến công Quốc gia năm 2019".
"""

from __future__ import annotations

import dataclasses

import pytest

from khuyencong.demo.registrations import REGISTRATIONS, load_bac_kan_2019_registrations
from khuyencong.registrations import selectors
from khuyencong.registrations.models import Outcome, Registration, Status
from khuyencong.reports.compose import compose
from khuyencong.reports.data import NextYearOutcome
from khuyencong.reports.next_year import plan_from_status
from khuyencong.reports.samples import seed_report_2018

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_bac_kan_2019_registrations()


def test_the_demo_files_eight_registrations_once(demo):
    assert demo == {"registrations_created": len(REGISTRATIONS), "registrations_2019": 8}
    again = load_bac_kan_2019_registrations()
    assert again == {"registrations_created": 0, "registrations_2019": 8}
    assert Registration.objects.filter(target_year=2019).count() == 8
    assert set(Registration.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_every_national_registration_fails_with_its_explained_reasons(demo):
    national = Registration.objects.filter(funding_source__code="national").order_by("code")
    assert national.count() == 5
    expected_failures = {
        "HKD Sằm Văn Thường": {"excluded_product"},
        "HTX Thành Ngân": {"machinery_new"},
        "HTX Nông nghiệp Tân Thành": {"technology_new_in_district", "support_level"},
        "Công ty TNHH Đinh Lâm": {"counterpart"},
        "HTX Thành Long": {"fairs_abroad_limit"},
    }
    for registration in national:
        screening = registration.screenings.get()
        assert screening.outcome == Outcome.FAIL
        fails = list(screening.checks.filter(outcome=Outcome.FAIL))
        assert {c.code for c in fails} == expected_failures[registration.beneficiary.name]
        for check in fails:
            assert check.message.strip() and check.legal_basis.strip()


def test_the_local_fund_registrations_pass(demo):
    local = Registration.objects.filter(funding_source__code="local")
    assert local.count() == 3
    assert {r.screenings.get().outcome for r in local} == {Outcome.PASS}


def test_no_national_source_is_the_outcome_the_report_states(demo):
    status = selectors.next_year_plan_status(f.bac_kan(), 2019, "national")
    assert (status.registration_count, status.qualified_count) == (8, 0)
    assert status.outcome == "no_qualified"
    plan = plan_from_status(status)
    assert plan.outcome == NextYearOutcome.NO_NATIONAL_SOURCE
    report = dataclasses.replace(seed_report_2018(), next_year=plan)
    text = " ".join(paragraph.text for paragraph in compose(report))
    assert "chưa có đề án nào đáp ứng được yêu cầu, mục tiêu của đề án khuyến công quốc gia" in text
    assert "chưa có “Nguồn” để xây dựng kế hoạch kinh phí khuyến công quốc gia năm 2019" in text
    assert "08 hồ sơ" in text


def test_the_local_fund_has_a_source(demo):
    status = selectors.next_year_plan_status(f.bac_kan(), 2019, "local")
    assert (status.outcome, status.qualified_count, status.qualified_budget) == (
        "qualified",
        3,
        120_000_000,
    )


def test_no_registration_at_all_is_its_own_outcome():
    status = selectors.next_year_plan_status(f.bac_kan(), 2031, "national")
    assert status.outcome == "no_registrations"
    assert plan_from_status(status).outcome == NextYearOutcome.NO_REGISTRATIONS


def test_an_accepted_national_registration_gives_a_national_source():
    registration = f.accepted(
        funding_source=f.source("national"), requested_local=0, requested_national=80_000_000
    )
    status = selectors.next_year_plan_status(registration.province, 2019, "national")
    assert (status.outcome, status.qualified_count, status.qualified_budget) == (
        "qualified",
        1,
        80_000_000,
    )
    assert plan_from_status(status).outcome == NextYearOutcome.NATIONAL_SOURCE


def test_the_status_can_be_taken_as_of_a_date(demo):
    import datetime

    early = selectors.next_year_plan_status(
        f.bac_kan(), 2019, "national", as_of=datetime.date(2018, 5, 14)
    )
    assert early.registration_count == 2  # two registrations dated 14/5/2018
