"""contests/services.py: the vote from set-up to certificates; every refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from khuyencong.contests import services
from khuyencong.contests.models import (
    Certificate,
    ContestStatus,
    CriterionScore,
    Eligibility,
    FileKind,
    JuryRole,
    ScoreCard,
)
from khuyencong.contests.services import ContestError

from .factories import (
    MINIMAL_PDF,
    D,
    dossier,
    entry,
    judging_contest,
    jury_user,
    new_contest,
    png,
    points_at,
    score,
    scored_and_closed,
    staff,
    upload,
    with_jury,
    with_panel,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------------------------
# Set-up


def test_a_contest_needs_a_level_that_exists_on_its_dates():
    with pytest.raises(ContestError):
        new_contest(level="district", area=None)
    # a commune-level contest before the 2025 reform does not exist
    with pytest.raises(ContestError):
        new_contest(level="commune")
    with pytest.raises(ContestError):
        new_contest(level="region", area=None, region="")
    contest = new_contest(level="region", area=None, region="north")
    assert contest.province_id is None
    assert contest.score_sheet.name.startswith("Phiếu chấm điểm tạm thời")


def test_the_contest_takes_its_scope_from_its_area():
    contest = new_contest()
    assert contest.province_id == contest.area_id
    assert contest.scope_province_id == contest.area_id


def test_judging_cannot_start_until_jury_panel_and_entries_are_right():
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    problems = services.setup_problems(contest)
    assert len(problems) == 4  # jury size, no chair, panel, no eligible entry
    with_jury(contest, size=6)
    assert any("7" in p and "9" in p and "6" in p for p in services.setup_problems(contest))
    services.add_jury_member(contest=contest, actor=None, full_name="X", role=JuryRole.MEMBER)
    with_panel(contest, 2)
    pending = entry(contest, eligible=False)
    problems = services.setup_problems(contest)
    assert any("lẻ" in p or "odd" in p for p in problems)
    assert any("thẩm tra" in p or "reviewed" in p for p in problems)
    with pytest.raises(ContestError):
        services.start_judging(contest=contest, actor=None)
    contest.refresh_from_db()
    assert contest.status == ContestStatus.REGISTRATION
    with_panel_late(contest, 1)
    dossier(pending)
    services.review_eligibility(
        entry=pending, actor=None, decision=Eligibility.ELIGIBLE, note="Đã xem bản gốc."
    )
    contest = services.start_judging(contest=contest, actor=None)
    assert contest.status == ContestStatus.JUDGING


def test_one_chair_one_head_and_only_jury_member_accounts_judge():
    contest = new_contest()
    with_jury(contest)
    with pytest.raises(ContestError):
        services.add_jury_member(contest=contest, actor=None, full_name="Y", role=JuryRole.CHAIR)
    with_panel(contest, 1)
    with pytest.raises(ContestError):
        services.add_judge(contest=contest, actor=None, user=jury_user(), is_head=True)
    with pytest.raises(ContestError):
        services.add_judge(contest=contest, actor=None, user=staff())
    judge = contest.judges.get()
    with pytest.raises(ContestError):
        services.add_judge(contest=contest, actor=None, user=judge.user)


# --------------------------------------------------------------------------------------------
# Entries and dossier


def test_entries_only_while_registration_is_open_and_within_its_dates():
    contest = new_contest()
    with pytest.raises(ContestError):
        entry(contest, eligible=False)  # still preparing
    services.open_registration(contest=contest, actor=None)
    with pytest.raises(ContestError):
        services.register_entry(
            contest=contest,
            actor=None,
            beneficiary=entry(contest, eligible=False).beneficiary,
            registered_on=D(2018, 3, 17),  # the day after registration closed
            product_name="Muộn",
            product_group=contest.entries.first().product_group,
        )
    assert contest.entries.count() == 1


def test_photos_are_checked_by_their_content():
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    made = entry(contest, eligible=False)
    with pytest.raises(ValidationError):  # a PDF named .png
        services.add_entry_file(
            entry=made, actor=None, kind=FileKind.PHOTO, upload=upload("anh.png", MINIMAL_PDF)
        )
    with pytest.raises(ValidationError):  # a PDF is not a photo, even named .pdf
        services.add_entry_file(
            entry=made, actor=None, kind=FileKind.PHOTO, upload=upload("anh.pdf", MINIMAL_PDF)
        )
    broken_png = png()[:40]  # PNG signature, truncated body
    with pytest.raises(ValidationError):
        services.add_entry_file(
            entry=made, actor=None, kind=FileKind.PHOTO, upload=upload("hong.png", broken_png)
        )
    stored = services.add_entry_file(
        entry=made,
        actor=None,
        kind=FileKind.PHOTO,
        photo_view="front",
        upload=upload("a.png", png((64, 96))),
    )
    assert (stored.width, stored.height, stored.content_type) == (64, 96, "image/png")
    assert made.files.count() == 1


def test_eligibility_review_follows_the_checks():
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    made = entry(contest, eligible=False)
    dossier(made, photos=2)
    with pytest.raises(ContestError, match="3"):
        services.review_eligibility(entry=made, actor=None, decision=Eligibility.ELIGIBLE)
    with pytest.raises(ContestError):  # a refusal needs its reason
        services.review_eligibility(entry=made, actor=None, decision=Eligibility.INELIGIBLE)
    services.add_entry_file(
        entry=made, actor=None, kind=FileKind.PHOTO, photo_view="top", upload=upload("t.png", png())
    )
    # the lower-level certificate was issued outside the system: needs a note
    with pytest.raises(ContestError):
        services.review_eligibility(entry=made, actor=None, decision=Eligibility.ELIGIBLE)
    services.review_eligibility(
        entry=made, actor=None, decision=Eligibility.ELIGIBLE, note="Đã xem bản gốc."
    )
    made.refresh_from_db()
    assert made.eligibility == Eligibility.ELIGIBLE


def test_an_entry_from_an_in_system_lower_certificate_passes_without_note():
    district = new_contest(level="district", area=entry_beneficiary_district())
    services.open_registration(contest=district, actor=None)
    lower = entry(district, eligible=False)
    dossier(lower)
    services.review_eligibility(entry=lower, actor=None, decision=Eligibility.ELIGIBLE)
    certificate = Certificate.objects.create(
        number="H066-2017-001",
        entry=lower,
        contest=district,
        beneficiary=lower.beneficiary,
        level="district",
        product_name=lower.product_name,
        issued_on=D(2017, 6, 1),
        valid_until=D(2019, 12, 31),
    )
    province = new_contest()
    services.open_registration(contest=province, actor=None)
    made = entry(
        province,
        eligible=False,
        beneficiary=lower.beneficiary,
        lower_certificate=certificate,
        lower_certificate_number="",
    )
    dossier(made)
    services.review_eligibility(entry=made, actor=None, decision=Eligibility.ELIGIBLE)
    services.revoke_certificate(
        certificate=certificate, actor=None, revoked_on=D(2018, 3, 1), reason="Vi phạm"
    )
    made.refresh_from_db()
    assert services.entry_checks(made)[-1].outcome == "fail"


def entry_beneficiary_district():
    from khuyencong.places.models import AdminUnit

    return AdminUnit.objects.get(era="legacy", level="district", code="066")


# --------------------------------------------------------------------------------------------
# Scoring


def test_a_judge_scores_only_as_themself_while_judging():
    contest, (first, _second), (_head, other, _third) = judging_contest()
    card = score(contest, first, other, 80)
    assert card.total == Decimal(80) and card.is_submitted
    assert CriterionScore.objects.filter(card=card).count() == 10
    with pytest.raises(ContestError):
        score(contest, first, staff(), 80)  # not on the panel
    outsider = jury_user()
    with pytest.raises(ContestError):
        score(contest, first, outsider, 80)
    # correcting a card replaces the points, never adds a second card
    score(contest, first, other, 75)
    assert ScoreCard.objects.filter(entry=first, judge__user=other).count() == 1
    assert ScoreCard.objects.get(entry=first, judge__user=other).total == Decimal(75)


def test_points_outside_the_sheet_are_refused_and_nothing_is_saved():
    contest, (first, _), (head, *_rest) = judging_contest()
    points = points_at(contest, 80)
    criterion = contest.score_sheet.criteria().first()
    points[criterion.pk] = criterion.max_points + 1
    with pytest.raises(ContestError, match=criterion.code):
        services.save_scorecard(entry=first, user=head, points=points)
    points[criterion.pk] = "abc"
    with pytest.raises(ContestError):
        services.save_scorecard(entry=first, user=head, points=points)
    del points[criterion.pk]
    with pytest.raises(ContestError):
        services.save_scorecard(entry=first, user=head, points=points)
    assert not ScoreCard.objects.filter(total__isnull=False).exists()


def test_a_declared_conflict_needs_a_reason_and_clears_the_points():
    contest, (first, _), (head, *_rest) = judging_contest()
    score(contest, first, head, 90)
    with pytest.raises(ContestError):
        services.save_scorecard(entry=first, user=head, conflict=True, conflict_reason=" ")
    card = services.save_scorecard(
        entry=first, user=head, conflict=True, conflict_reason="Chủ cơ sở là người thân"
    )
    assert card.conflict_of_interest and card.total is None
    assert not card.scores.exists()


def test_cleared_points_are_in_the_audit_trail_with_their_last_values():
    """Deleted rows are recorded (the one trail keeps what was there)."""
    from khuyencong.contests.models import CriterionScore
    from khuyencong.trust.models import AuditAction, AuditEntry

    contest, (first, _), (head, *_rest) = judging_contest()
    score(contest, first, head, 90)
    scores = list(CriterionScore.objects.filter(card__entry=first))
    assert scores
    services.save_scorecard(
        entry=first, user=head, conflict=True, conflict_reason="Chủ cơ sở là người thân"
    )
    for row in scores:
        deleted = AuditEntry.objects.for_object(row).get(action=AuditAction.DELETE)
        assert {"field": "points", "old": str(row.points), "new": None} in deleted.changes


def test_the_panel_closes_only_by_its_chair_when_every_card_is_in():
    contest, entries, users = judging_contest()
    for made in entries:
        for user in users[1:]:
            score(contest, made, user, 80)
    with pytest.raises(ContestError, match="2"):  # the head has not scored the two entries
        services.close_panel(contest=contest, actor=users[0])
    for made in entries:
        services.save_scorecard(
            entry=made, user=users[0], points=points_at(contest, 80), submit=False
        )
    with pytest.raises(ContestError):  # drafts are not cards
        services.close_panel(contest=contest, actor=users[0])
    for made in entries:
        score(contest, made, users[0], 80)
    with pytest.raises(ContestError):  # an ordinary judge cannot close it
        services.close_panel(contest=contest, actor=users[1])
    contest = services.close_panel(contest=contest, actor=users[0])
    assert contest.status == ContestStatus.PANEL_CLOSED
    assert contest.threshold == Decimal(70)
    with pytest.raises(ContestError):  # no score after closing
        score(contest, entries[0], users[1], 90)


def test_the_jury_chair_with_an_account_may_close_the_panel():
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    chair = jury_user()
    with_jury(contest, chair=chair)
    users = with_panel(contest, 1)
    made = entry(contest)
    services.start_judging(contest=contest, actor=None)
    score(contest, made, users[0], 71)
    assert services.is_chair(chair, contest)
    contest = services.close_panel(contest=contest, actor=chair)
    assert contest.panel_closed_by == chair


def test_results_are_written_on_the_entries_exactly():
    _contest, entries, _users = scored_and_closed(
        [[80, 85, 90], [70, 70, "69.99"], [75, None, 65], [80, 85, 90]]
    )
    first, second, third, fourth = (e.__class__.objects.get(pk=e.pk) for e in entries)
    assert (first.score_sum, first.score_count, first.average_score) == (
        Decimal(255),
        3,
        Decimal(85),
    )
    assert (first.rank_in_group, first.tied) == (1, True)  # tied with the fourth
    assert (fourth.rank_in_group, fourth.tied) == (1, True)
    assert second.average_score == Decimal("70.00")  # 209.99 / 3 displays as 70.00 …
    assert second.meets_threshold is False  # … but is below 70
    assert (third.score_count, third.average_score, third.meets_threshold) == (2, Decimal(70), True)
    assert third.rank_in_group == 3 and second.rank_in_group == 4


# --------------------------------------------------------------------------------------------
# Results, complaints, decision, certificates


def closed_contest():
    return scored_and_closed(
        [[80, 82, 84], [90, 90, 90], [60, 65, 62]], groups=("handicrafts", "machinery")
    )


def test_the_jury_recognises_only_entries_reaching_the_threshold():
    contest, (_good, best, low), users = closed_contest()
    with pytest.raises(ContestError):
        services.announce_results(
            contest=contest, actor=users[0], announced_on=D(2018, 4, 6), recognised_ids=[low.pk]
        )
    contest = services.announce_results(
        contest=contest, actor=users[0], announced_on=D(2018, 4, 6), recognised_ids=[best.pk]
    )
    assert contest.complaint_deadline == D(2018, 5, 2)  # 15 working days, holidays skipped
    recognised = set(contest.entries.filter(recognised=True).values_list("pk", flat=True))
    assert recognised == {best.pk}  # the jury may choose fewer than those reaching 70


def test_complaints_are_tracked_in_working_days():
    contest, (_good, _best, low), _users = closed_contest()
    contest = services.announce_results(contest=contest, actor=None, announced_on=D(2018, 4, 6))
    in_time = services.file_complaint(
        contest=contest,
        actor=None,
        complainant="HKD A",
        received_on=D(2018, 4, 20),
        content="Xem lại điểm",
        entry=low,
    )
    assert in_time.filed_in_time and in_time.resolution_deadline == D(2018, 5, 9)
    late = services.file_complaint(
        contest=contest,
        actor=None,
        complainant="HKD B",
        received_on=D(2018, 5, 3),
        content="Muộn",
    )
    assert not late.filed_in_time
    with pytest.raises(ContestError):
        services.file_complaint(
            contest=contest, actor=None, complainant="X", received_on=D(2018, 4, 5), content="Sớm"
        )
    # the decision waits for the window to close and every complaint to be resolved
    with pytest.raises(ContestError):
        services.record_decision(
            contest=contest, actor=None, decision_number="1/QĐ", decision_date=D(2018, 5, 2)
        )
    with pytest.raises(ContestError, match="2"):
        services.record_decision(
            contest=contest, actor=None, decision_number="1/QĐ", decision_date=D(2018, 5, 10)
        )
    services.resolve_complaint(
        complaint=in_time,
        actor=None,
        resolved_on=D(2018, 5, 10),
        outcome="rejected",
        resolution="Giữ nguyên",
    )
    in_time.refresh_from_db()
    assert in_time.resolved_late and in_time.is_overdue(D(2018, 5, 10)) is False
    assert late.is_overdue(D(2018, 5, 30))
    with pytest.raises(ContestError):
        services.resolve_complaint(
            complaint=in_time,
            actor=None,
            resolved_on=D(2018, 5, 11),
            outcome="upheld",
            resolution="x",
        )


def test_the_decision_issues_numbered_certificates_valid_to_the_third_year():
    contest, (good, best, low), _users = closed_contest()
    contest = services.announce_results(contest=contest, actor=None, announced_on=D(2018, 4, 6))
    issued = services.record_decision(
        contest=contest,
        actor=None,
        decision_number="789/QĐ-UBND",
        decision_date=D(2018, 5, 10),
        signer_capacity="KT. CHỦ TỊCH",
        signer_position="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
    )
    # numbered by product group (handicrafts before machinery), then rank
    assert [(c.number, c.entry_id) for c in issued] == [
        ("T06-2018-001", good.pk),
        ("T06-2018-002", best.pk),
    ]
    assert {c.valid_until for c in issued} == {D(2020, 12, 31)}
    assert {c.level for c in issued} == {"province"}
    contest.refresh_from_db()
    assert contest.status == ContestStatus.DECIDED
    assert not hasattr(low, "certificate") or not Certificate.objects.filter(entry=low).exists()
    with pytest.raises(ContestError):  # only once
        services.record_decision(
            contest=contest, actor=None, decision_number="x", decision_date=D(2018, 6, 1)
        )


def test_revoking_a_certificate():
    contest, (_good, _best, _low), _users = closed_contest()
    contest = services.announce_results(contest=contest, actor=None, announced_on=D(2018, 4, 6))
    certificate = services.record_decision(
        contest=contest, actor=None, decision_number="1", decision_date=D(2018, 5, 10)
    )[0]
    with pytest.raises(ContestError):
        services.revoke_certificate(
            certificate=certificate, actor=None, revoked_on=D(2018, 6, 1), reason=""
        )
    with pytest.raises(ContestError):
        services.revoke_certificate(
            certificate=certificate, actor=None, revoked_on=D(2018, 5, 1), reason="Sai"
        )
    services.revoke_certificate(
        certificate=certificate, actor=None, revoked_on=D(2018, 6, 1), reason="Sai"
    )
    certificate.refresh_from_db()
    assert not certificate.is_valid_on(D(2018, 7, 1))
    assert certificate.revocation_reason == "Sai"


def test_an_added_judge_changes_no_other_score():
    contest, (first, _second), users = judging_contest(judges=3)
    score(contest, first, users[0], 80)
    score(contest, first, users[1], 70)
    before = dict(ScoreCard.objects.values_list("pk", "total"))
    late_judges = with_panel_late(contest, 2)
    for user in late_judges:
        score(contest, first, user, 90)
    after = dict(ScoreCard.objects.values_list("pk", "total"))
    assert {pk: after[pk] for pk in before} == before


def with_panel_late(contest, size):
    users = [jury_user() for _ in range(size)]
    for user in users:
        services.add_judge(contest=contest, actor=None, user=user)
    return users


def test_the_panel_must_still_be_odd_when_it_closes():
    contest, entries, users = judging_contest(entries=1, judges=3)
    late = with_panel_late(contest, 1)
    for user in [*users, *late]:
        score(contest, entries[0], user, 80)
    with pytest.raises(ContestError):
        services.close_panel(contest=contest, actor=users[0])


def test_progress_shows_counts_without_points():
    contest, entries, users = judging_contest()
    score(contest, entries[0], users[1], 88)
    rows = {row["judge"].user_id: row for row in services.scoring_progress(contest)}
    assert rows[users[1].pk]["done"] == 1 and rows[users[1].pk]["of"] == 2
    assert rows[users[0].pk]["done"] == 0
    assert set(rows[users[1].pk]) == {"judge", "done", "conflicts", "of"}
