"""Appraisal sheets (scores per criterion, opinion, recommendation, conflicts of interest)
and the council's decision (accept, reduce, reject)."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.registrations import selectors, services
from khuyencong.registrations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalDecision,
    Recommendation,
    Status,
)
from khuyencong.registrations.services import InputError, Refused

from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
M = 1_000_000


def full_scores(points: int = 10) -> dict[str, int]:
    return {c.code: min(points, c.max_points) for c in AppraisalCriterion.objects.active()}


def test_the_six_criteria_of_tt36_art9_are_seeded_and_unconfirmed():
    codes = list(AppraisalCriterion.objects.active().values_list("code", flat=True))
    assert codes == ["fit", "need_efficiency", "cost", "capacity", "integration", "dossier"]
    assert sum(AppraisalCriterion.objects.values_list("max_points", flat=True)) == 100
    assert not AppraisalCriterion.objects.filter(confirmed=True).exists()


def test_a_sheet_records_scores_and_counts_in_the_average():
    registration = f.submitted()
    first = f.appraised(registration, points=10)
    f.appraised(registration, points=6)
    assert first.total_points == 10 * 4 + 10 + 10
    assert selectors.average_score(registration) == (60 + 36) / 2


def test_scores_outside_the_scale_or_missing_are_refused():
    registration = f.submitted()
    leader = f.user(Role.DEPARTMENT_LEADER)
    scores = full_scores()
    scores["integration"] = 11  # max 10
    del scores["dossier"]
    with pytest.raises(InputError) as error:
        services.record_appraisal(
            registration=registration,
            actor=leader,
            appraised_on=D(2018, 6, 1),
            scores=scores,
            recommendation=Recommendation.ACCEPT,
        )
    assert {"integration", "dossier"} <= set(error.value.by_field)
    assert not Appraisal.objects.filter(registration=registration).exists()


def test_recommended_support_cannot_exceed_the_request():
    registration = f.submitted()
    with pytest.raises(InputError) as error:
        services.record_appraisal(
            registration=registration,
            actor=f.user(Role.DEPARTMENT_LEADER),
            appraised_on=D(2018, 6, 1),
            scores=full_scores(),
            recommendation=Recommendation.REDUCE,
            recommended_support=90 * M,  # asked 80 M
        )
    assert "recommended_support" in error.value.by_field


def test_a_declared_conflict_is_recorded_without_scores_and_left_out_of_the_average():
    registration = f.submitted()
    f.appraised(registration, points=10)
    conflicted = f.user(Role.DEPARTMENT_LEADER)
    with pytest.raises(InputError):  # scores with a conflict
        services.record_appraisal(
            registration=registration,
            actor=conflicted,
            appraised_on=D(2018, 6, 1),
            scores=full_scores(),
            conflict_of_interest=True,
            conflict_note="Người thân của chủ nhiệm HTX",
        )
    sheet = services.record_appraisal(
        registration=registration,
        actor=conflicted,
        appraised_on=D(2018, 6, 1),
        conflict_of_interest=True,
        conflict_note="Người thân của chủ nhiệm HTX",
    )
    assert sheet.conflict_of_interest and not sheet.scores.exists()
    assert selectors.average_score(registration) == 60


def test_an_appraiser_from_the_implementing_unit_must_declare_the_conflict():
    registration = f.submitted()
    insider = f.user(Role.DEPARTMENT_LEADER, organisation=registration.implementing_unit)
    with pytest.raises(InputError) as error:
        services.record_appraisal(
            registration=registration,
            actor=insider,
            appraised_on=D(2018, 6, 1),
            scores=full_scores(),
            recommendation=Recommendation.ACCEPT,
        )
    assert "conflict_of_interest" in error.value.by_field


def test_recording_again_replaces_the_sheet_and_keeps_the_old_one_archived():
    registration = f.submitted()
    leader = f.user(Role.DEPARTMENT_LEADER)
    f.appraised(registration, appraiser=leader, points=5)
    f.appraised(registration, appraiser=leader, points=9)
    assert registration.appraisals.active().count() == 1
    assert registration.appraisals.archived().count() == 1
    assert selectors.average_score(registration) == 9 * 4 + 9 + 9


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.DISTRICT_OFFICER, Role.NATIONAL_AGENCY])
def test_only_the_department_appraises(role):
    registration = f.submitted()
    with pytest.raises(Refused):
        f.appraised(registration, appraiser=f.user(role))


def test_a_draft_is_not_appraised():
    with pytest.raises(Refused):
        f.appraised(f.registration())


def decide(registration, **kwargs):
    values = {
        "registration": registration,
        "actor": f.user(Role.DEPARTMENT_LEADER),
        "outcome": Recommendation.ACCEPT,
        "decision_number": "01/BB-HĐTĐ",
        "decision_date": D(2018, 6, 10),
    }
    values.update(kwargs)
    return services.decide_registration(**values)


def test_accept_gives_the_support_requested():
    registration = f.submitted()
    f.appraised(registration)
    decision = decide(registration)
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED
    assert decision.approved_support == 80 * M


def test_reduce_needs_a_smaller_amount_and_a_reason():
    registration = f.submitted()
    f.appraised(registration)
    with pytest.raises(InputError) as error:
        decide(registration, outcome=Recommendation.REDUCE, approved_support=80 * M)
    assert {"approved_support", "reason"} <= set(error.value.by_field)
    decision = decide(
        registration,
        outcome=Recommendation.REDUCE,
        approved_support=60 * M,
        reason="Cắt giảm hạng mục nhà xưởng",
    )
    assert decision.approved_support == 60 * M


def test_reject_needs_a_reason_and_no_sheet():
    registration = f.submitted()
    with pytest.raises(InputError):
        decide(registration, outcome=Recommendation.REJECT)
    decide(registration, outcome=Recommendation.REJECT, reason="Không khả thi")
    registration.refresh_from_db()
    assert registration.status == Status.REJECTED


def test_no_acceptance_without_a_scored_sheet():
    registration = f.submitted()
    with pytest.raises(InputError):
        decide(registration)
    assert not AppraisalDecision.objects.filter(registration=registration).exists()


def test_a_failed_screening_cannot_be_accepted():
    registration = f.submitted(machinery_new=False)
    assert registration.screenings.get().outcome == "fail"
    f.appraised(registration)
    with pytest.raises(InputError, match=r"(?i)not eligible|không đủ điều kiện"):
        decide(registration)
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_points_to_review_need_the_council_reason():
    # a demonstration model for the local fund: "technology new to the district" not stated
    registration = f.submitted(
        content_area=f.area("demo_model"),
        machinery_new=None,
        technology_new_in_district=None,
        total_investment=300 * M,
        requested_local=80 * M,
        counterpart=220 * M,
    )
    assert registration.screenings.get().outcome == "needs_review"
    f.appraised(registration)
    with pytest.raises(InputError) as error:
        decide(registration)
    assert "reason" in error.value.by_field
    decide(registration, reason="Hội đồng xác nhận công nghệ chưa có trên địa bàn huyện.")


def test_decision_dates_stay_in_the_planning_window():
    registration = f.submitted()
    f.appraised(registration)
    with pytest.raises(InputError) as error:
        decide(registration, decision_date=D(2018, 5, 1))  # before the registration
    assert "decision_date" in error.value.by_field
