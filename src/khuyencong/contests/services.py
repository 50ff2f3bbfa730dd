"""Writes of the product vote: keyword-only functions, each in one transaction.

A contest moves PREPARING → REGISTRATION → JUDGING → PANEL_CLOSED → RESULTS_ANNOUNCED →
DECIDED (``TRANSITIONS``). Every refusal raises ``ContestError`` with a Vietnamese message and
changes nothing. Who may act is checked by the views through accounts.roles; the rules that
depend on a seat in the contest (a judge scores only as themself, the chair closes the panel)
are checked here, because they are rules of the vote itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.contests import eligibility, rules, scoring
from khuyencong.contests.models import (
    LEVEL_LETTER,
    Certificate,
    Complaint,
    ComplaintOutcome,
    Contest,
    ContestStatus,
    CriterionScore,
    Eligibility,
    Entry,
    EntryFile,
    FileKind,
    Judge,
    JuryMember,
    JuryRole,
    Level,
    ScoreCard,
)
from khuyencong.core.models import VersionConflict, lock_versioned
from khuyencong.core.uploads import check_upload
from khuyencong.core.workdays import WorkCalendar
from khuyencong.core.workflow import Refused, Table, Transition


class ContestError(Exception):
    """A refused action; the message is user-facing (Vietnamese through gettext)."""


def _row(action: str, source: str, target: str) -> Transition:
    return Transition(action, frozenset({source}), target, "contests.manage")


# One row per action (the one transition shape, ``core.workflow``)
TRANSITIONS = Table(
    (
        _row("open_registration", ContestStatus.PREPARING, ContestStatus.REGISTRATION),
        _row("start_judging", ContestStatus.REGISTRATION, ContestStatus.JUDGING),
        _row("close_panel", ContestStatus.JUDGING, ContestStatus.PANEL_CLOSED),
        _row("announce_results", ContestStatus.PANEL_CLOSED, ContestStatus.RESULTS_ANNOUNCED),
        _row("record_decision", ContestStatus.RESULTS_ANNOUNCED, ContestStatus.DECIDED),
    ),
    illegal=gettext_lazy("This cannot be done while the contest is “%(status)s”."),
    status_label=lambda status: str(ContestStatus(status).label),
)


def _lock(contest: Contest) -> Contest:
    return lock_versioned(contest)


def _transition(contest: Contest, action: str) -> str:
    row = TRANSITIONS.row(action)
    try:
        TRANSITIONS.check(row, contest.status)
    except Refused as refusal:
        raise ContestError(refusal.message) from None
    return row.target


# --------------------------------------------------------------------------------------------
# Contests


AREA_LEVEL = {
    Level.COMMUNE: "commune",
    Level.DISTRICT: "district",
    Level.PROVINCE: "province",
}


def check_contest_setup(
    *, level: str, area: Any, region: str, registration_opens: datetime.date
) -> None:
    if level not in rules.levels_on(registration_opens):
        raise ContestError(
            _("There is no %(level)s contest on %(day)s (no jury size rule valid then).")
            % {"level": Level(level).label.lower(), "day": registration_opens.strftime("%d/%m/%Y")}
        )
    needed = AREA_LEVEL.get(Level(level))
    if needed and (area is None or area.level != needed):
        raise ContestError(_("Choose the area of the contest at its own level."))
    if level == Level.REGION and not region:
        raise ContestError(_("A regional contest needs its region."))
    if level in {Level.REGION, Level.NATIONAL} and area is not None:
        raise ContestError(_("Regional and national contests have no area."))


@transaction.atomic
def create_contest(*, actor: Any, **fields: Any) -> Contest:
    check_contest_setup(
        level=fields["level"],
        area=fields.get("area"),
        region=fields.get("region", ""),
        registration_opens=fields["registration_opens"],
    )
    if fields.get("score_sheet") is None:
        try:
            fields["score_sheet"] = rules.default_score_sheet(fields["judging_on"])
        except rules.RuleMissing as missing:
            raise ContestError(str(missing)) from None
    contest = Contest(**fields)
    contest.full_clean(exclude=["search_text"])
    contest.save()
    return contest


@transaction.atomic
def open_registration(*, contest: Contest, actor: Any) -> Contest:
    contest = _lock(contest)
    contest.status = _transition(contest, "open_registration")
    contest.save(update_fields=["status", "updated_at"])
    return contest


def jury_size(contest: Contest) -> int:
    return contest.jury.active().count()


def panel_size(contest: Contest) -> int:
    return contest.judges.active().count()


def setup_problems(contest: Contest) -> list[str]:
    """Why judging cannot start yet (empty when it can)."""
    problems = []
    size = rules.check_jury_size(contest.level, contest.judging_on, jury_size(contest))
    if not size:
        problems.append(size.message)
    if not contest.jury.active().filter(role=JuryRole.CHAIR).exists():
        problems.append(_("The jury has no chair."))
    panel = rules.check_panel_size(panel_size(contest))
    if not panel:
        problems.append(panel.message)
    entries = contest.entries.active()
    if entries.filter(eligibility=Eligibility.PENDING).exists():
        problems.append(_("Some entries have not been reviewed for eligibility."))
    if not entries.filter(eligibility=Eligibility.ELIGIBLE).exists():
        problems.append(_("No entry is eligible."))
    return problems


@transaction.atomic
def start_judging(*, contest: Contest, actor: Any) -> Contest:
    contest = _lock(contest)
    target = _transition(contest, "start_judging")
    problems = setup_problems(contest)
    if problems:
        raise ContestError(" ".join(problems))
    contest.status = target
    contest.save(update_fields=["status", "updated_at"])
    return contest


# --------------------------------------------------------------------------------------------
# Jury and panel


def _before_judging(contest: Contest) -> None:
    if contest.status not in {ContestStatus.PREPARING, ContestStatus.REGISTRATION}:
        raise ContestError(_("The jury can no longer be changed: judging has started."))


@transaction.atomic
def add_jury_member(
    *,
    contest: Contest,
    actor: Any,
    full_name: str,
    role: str,
    position: str = "",
    user: Any = None,
    order: int | None = None,
) -> JuryMember:
    contest = _lock(contest)
    _before_judging(contest)
    if role == JuryRole.CHAIR and contest.jury.active().filter(role=JuryRole.CHAIR).exists():
        raise ContestError(_("The jury already has a chair."))
    if order is None:
        order = contest.jury.count() + 1
    return JuryMember.objects.create(
        contest=contest, full_name=full_name, role=role, position=position, user=user, order=order
    )


@transaction.atomic
def add_judge(
    *, contest: Contest, actor: Any, user: Any, is_head: bool = False, expertise: str = ""
) -> Judge:
    """A judge may join until the panel closes; their scores never change anyone else's."""
    contest = _lock(contest)
    if contest.is_panel_closed:
        raise ContestError(_("The panel is closed: no judge can join."))
    if roles.role_of(user) != Role.JURY_MEMBER:
        raise ContestError(_("A judge must have a jury member account."))
    if contest.judges.active().filter(user=user).exists():
        raise ContestError(_("This person is already on the panel."))
    if is_head and contest.judges.active().filter(is_head=True).exists():
        raise ContestError(_("The panel already has a head."))
    return Judge.objects.create(contest=contest, user=user, is_head=is_head, expertise=expertise)


def is_chair(user: Any, contest: Contest) -> bool:
    """The jury's chair or the head of the judging panel."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        contest.jury.active().filter(role=JuryRole.CHAIR, user=user).exists()
        or contest.judges.active().filter(is_head=True, user=user).exists()
    )


def judge_for(user: Any, contest: Contest) -> Judge | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return contest.judges.active().filter(user=user).first()


# --------------------------------------------------------------------------------------------
# Entries


@transaction.atomic
def register_entry(
    *, contest: Contest, actor: Any, beneficiary: Any, registered_on: datetime.date, **fields: Any
) -> Entry:
    contest = _lock(contest)
    if contest.status != ContestStatus.REGISTRATION:
        raise ContestError(_("Registration for this contest is not open."))
    if not contest.registration_opens <= registered_on <= contest.registration_closes:
        raise ContestError(
            _("Entries are registered from %(start)s to %(end)s.")
            % {
                "start": contest.registration_opens.strftime("%d/%m/%Y"),
                "end": contest.registration_closes.strftime("%d/%m/%Y"),
            }
        )
    if beneficiary.is_archived:
        raise ContestError(_("This establishment is archived."))
    entry = Entry(
        contest=contest,
        beneficiary=beneficiary,
        registered_on=registered_on,
        registered_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    entry.full_clean(exclude=["search_text", "contest", "beneficiary"])
    entry.save()
    return entry


def image_size(upload: Any) -> tuple[int, int]:
    """(width, height) of an image upload, checked by decoding it; ``ValidationError`` if the
    content is not a readable image."""
    from PIL import Image, UnidentifiedImageError

    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not a readable image."), code="image_unreadable"
        ) from None
    finally:
        upload.seek(position)
    return size


@transaction.atomic
def add_entry_file(
    *, entry: Entry, actor: Any, kind: str, upload: Any, photo_view: str = ""
) -> EntryFile:
    """Store a dossier file after checking its size and real type; a photo must decode as a
    JPEG or PNG image. Raises ``ValidationError`` (nothing stored) otherwise."""
    if entry.contest.is_panel_closed:
        raise ContestError(_("The dossier is closed: the panel has finished."))
    sniffed = check_upload(upload)
    width = height = None
    if kind == FileKind.PHOTO:
        if sniffed.extension not in {"jpg", "jpeg", "png"}:
            raise ValidationError(_("A photo must be a JPEG or PNG image."), code="photo_type")
        width, height = image_size(upload)
    name = getattr(upload, "name", "") or "file"
    stored = EntryFile(
        entry=entry,
        kind=kind,
        photo_view=photo_view if kind == FileKind.PHOTO else "",
        original_name=name[:255],
        size=sniffed.size,
        content_type=sniffed.content_type,
        width=width,
        height=height,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(name, upload, save=False)
    stored.save()
    return stored


def entry_facts(entry: Entry) -> eligibility.EntryFacts:
    files = list(entry.files.active().values_list("kind", "photo_view", "width"))
    photos = [(view, width) for kind, view, width in files if kind == FileKind.PHOTO]
    kinds = {kind for kind, _view, _width in files}
    lower = None
    if entry.lower_certificate is not None:
        certificate = entry.lower_certificate
        lower = eligibility.LowerCertificate(
            level=certificate.level,
            valid_until=certificate.valid_until,
            revoked=certificate.revoked_on is not None or certificate.is_archived,
            number=certificate.number,
        )
    elif entry.lower_certificate_number:
        lower = eligibility.LowerCertificate(
            level=entry.lower_certificate_level,
            valid_until=entry.lower_certificate_valid_until,
            recorded_in_system=False,
            number=entry.lower_certificate_number,
        )
    return eligibility.EntryFacts(
        contest_level=entry.contest.level,
        registered_on=entry.registered_on,
        own_product=entry.own_product,
        not_copied=entry.not_copied,
        mass_producible=entry.mass_producible,
        has_registration_form=FileKind.REGISTRATION_FORM in kinds,
        has_description=FileKind.DESCRIPTION in kinds or bool(entry.description.strip()),
        photo_count=sum(1 for _view, width in photos if width is not None),
        photo_views=frozenset(view for view, width in photos if width is not None and view),
        lower_certificate=lower,
    )


def entry_checks(entry: Entry) -> list[eligibility.Check]:
    return eligibility.check_entry(entry_facts(entry))


@transaction.atomic
def review_eligibility(
    *, entry: Entry, actor: Any, decision: str, note: str = "", expected_version: int | None = None
) -> Entry:
    """Record the staff's eligibility decision. An entry with a failed check cannot be made
    eligible; a check that needs review must be explained in the note. With
    ``expected_version`` (the version the reviewer saw), a decision made meanwhile by someone
    else raises ``VersionConflict`` and nothing is written."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if expected_version is not None and entry.version != expected_version:
        raise VersionConflict(entry)
    if entry.contest.status not in {ContestStatus.PREPARING, ContestStatus.REGISTRATION}:
        raise ContestError(_("Eligibility can no longer change: judging has started."))
    if decision == Eligibility.ELIGIBLE:
        checks = entry_checks(entry)
        outcome = eligibility.overall(checks)
        if outcome == eligibility.Outcome.FAIL:
            failed = [c.message for c in checks if c.outcome == eligibility.Outcome.FAIL]
            raise ContestError(_("Not eligible: %(reasons)s") % {"reasons": " ".join(failed)})
        if outcome == eligibility.Outcome.NEEDS_REVIEW and not note.strip():
            raise ContestError(_("Say in the note how the points needing review were checked."))
    if decision == Eligibility.INELIGIBLE and not note.strip():
        raise ContestError(_("Give the reason why the entry is not eligible."))
    entry.eligibility = decision
    entry.eligibility_note = note
    entry.reviewed_by = actor if getattr(actor, "pk", None) else None
    entry.version += 1
    entry.save(
        update_fields=["eligibility", "eligibility_note", "reviewed_by", "version", "updated_at"]
    )
    return entry


# --------------------------------------------------------------------------------------------
# Scores


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ContestError(_("“%(value)s” is not a number.") % {"value": value}) from None


POINT_PROBLEMS = {
    scoring.MISSING: gettext_lazy("give the points"),
    scoring.NEGATIVE: gettext_lazy("points cannot be negative"),
    scoring.ABOVE_MAX: gettext_lazy("more than the maximum"),
    scoring.TOO_PRECISE: gettext_lazy("at most two decimals"),
    scoring.UNKNOWN: gettext_lazy("not a criterion of this sheet"),
}


@transaction.atomic
def save_scorecard(
    *,
    entry: Entry,
    user: Any,
    points: Mapping[int | str, Any] | None = None,
    conflict: bool = False,
    conflict_reason: str = "",
    submit: bool = True,
) -> ScoreCard:
    """The judge ``user`` scores ``entry`` (or declares a conflict of interest).

    Only while the contest is judging, only the judge's own card, only eligible entries.
    ``points`` maps criterion id -> points. A draft (``submit=False``) is kept but not
    counted; the card can be corrected until the panel closes.
    """
    contest = _lock(entry.contest)
    if contest.status != ContestStatus.JUDGING:
        raise ContestError(_("Scores can only be given while the contest is being judged."))
    judge = judge_for(user, contest)
    if judge is None:
        raise ContestError(_("You are not on the judging panel of this contest."))
    entry = Entry.objects.get(pk=entry.pk)
    if entry.eligibility != Eligibility.ELIGIBLE or entry.is_archived:
        raise ContestError(_("This entry is not eligible for scoring."))
    card, _created = ScoreCard.objects.select_for_update().get_or_create(
        entry=entry, judge=judge, defaults={"conflict_reason": ""}
    )
    now = timezone.now()
    if conflict:
        if not conflict_reason.strip():
            raise ContestError(_("Say why you have a conflict of interest."))
        card.scores.all().delete()
        card.conflict_of_interest = True
        card.conflict_reason = conflict_reason.strip()
        card.total = None
        card.submitted_at = now
        card.save()
        return card
    sheet = contest.score_sheet
    spec = rules.sheet_spec(sheet)
    given = {str(key): _decimal(value) for key, value in (points or {}).items()}
    problems = scoring.check_points(spec, given)
    if problems:
        names = {str(c.pk): f"{c.code}. {c.name}" for c in sheet.criteria()}
        details = "; ".join(
            f"{names.get(code, code)}: {POINT_PROBLEMS[key]}" for code, key in problems.items()
        )
        raise ContestError(_("The points were not saved — %(details)s.") % {"details": details})
    checked = cast(dict[str, Decimal], given)  # no point missing: check_points said so
    card.conflict_of_interest = False
    card.conflict_reason = ""
    card.total = scoring.judge_total(spec, checked)
    card.submitted_at = now if submit else None
    card.save()
    existing = {score.criterion_id: score for score in card.scores.all()}
    for criterion in sheet.criteria():
        value = checked[str(criterion.pk)]
        score = existing.get(criterion.pk)
        if score is None:
            CriterionScore.objects.create(card=card, criterion=criterion, points=value)
        elif score.points != value:
            score.points = value
            score.save(update_fields=["points"])
    return card


def _cards(contest: Contest) -> list[scoring.Card]:
    cards = ScoreCard.objects.filter(
        entry__contest=contest, judge__archived_at__isnull=True, archived_at__isnull=True
    ).values_list("judge_id", "entry_id", "total", "conflict_of_interest", "submitted_at")
    return [
        scoring.Card(judge, entry, total, conflict, submitted is not None)
        for judge, entry, total, conflict, submitted in cards
    ]


def missing_cards(contest: Contest) -> list[tuple[int, int]]:
    entries = contest.entries.eligible().values_list("pk", flat=True)
    judges = contest.judges.active().values_list("pk", flat=True)
    return scoring.missing_cards(list(entries), list(judges), _cards(contest))


def compute_results(contest: Contest, threshold: Decimal) -> list[scoring.Ranked]:
    groups = dict(contest.entries.eligible().values_list("pk", "product_group_id"))
    return scoring.rank_in_groups(scoring.entry_scores(_cards(contest), groups), threshold)


@transaction.atomic
def close_panel(*, contest: Contest, actor: Any) -> Contest:
    """The chair closes the panel: every judge has scored every eligible entry (or declared a
    conflict); averages, ranks, ties and the threshold are written on the entries."""
    contest = _lock(contest)
    target = _transition(contest, "close_panel")
    if not is_chair(actor, contest):
        raise ContestError(_("Only the chair of the jury or the head of the panel can close it."))
    panel = rules.check_panel_size(panel_size(contest))
    if not panel:
        raise ContestError(panel.message)
    missing = missing_cards(contest)
    if missing:
        raise ContestError(
            _("%(count)d score card(s) are still missing: every judge scores every entry.")
            % {"count": len(missing)}
        )
    try:
        threshold = rules.threshold_on(contest.judging_on)
    except rules.RuleMissing as error:
        raise ContestError(str(error)) from None
    results = {row.entry: row for row in compute_results(contest, threshold)}
    for entry in contest.entries.eligible():
        row = results[entry.pk]
        entry.score_sum = row.total_sum if row.count else None
        entry.score_count = row.count
        entry.average_score = row.display_average
        entry.rank_in_group = row.rank
        entry.tied = row.tied
        entry.meets_threshold = row.meets_threshold
        entry.save(
            update_fields=[
                "score_sum",
                "score_count",
                "average_score",
                "rank_in_group",
                "tied",
                "meets_threshold",
                "updated_at",
            ]
        )
    contest.status = target
    contest.threshold = threshold
    contest.panel_closed_at = timezone.now()
    contest.panel_closed_by = actor
    contest.save(
        update_fields=["status", "threshold", "panel_closed_at", "panel_closed_by", "updated_at"]
    )
    return contest


def _recognise(contest: Contest, recognised_ids: Iterable[int] | None) -> None:
    scored = contest.entries.eligible()
    passing = set(scored.filter(meets_threshold=True).values_list("pk", flat=True))
    chosen = passing if recognised_ids is None else {int(pk) for pk in recognised_ids}
    if not chosen <= passing:
        raise ContestError(
            _("Only entries whose average reaches the threshold (%(threshold)s) can be recognised.")
            % {"threshold": contest.threshold}
        )
    scored.filter(pk__in=chosen).update(recognised=True)
    scored.exclude(pk__in=chosen).update(recognised=False)


@transaction.atomic
def announce_results(
    *,
    contest: Contest,
    actor: Any,
    announced_on: datetime.date,
    recognised_ids: Iterable[int] | None = None,
    calendar: WorkCalendar | None = None,
) -> Contest:
    """The jury's result: the entries it proposes (all those reaching the threshold unless it
    chooses fewer), announced on ``announced_on``; complaints may be filed for the number of
    working days of the complaint rule."""
    contest = _lock(contest)
    target = _transition(contest, "announce_results")
    _recognise(contest, recognised_ids)
    try:
        deadline = rules.complaint_deadline(announced_on, calendar)
    except rules.RuleMissing as error:
        raise ContestError(str(error)) from None
    contest.status = target
    contest.results_announced_on = announced_on
    contest.complaint_deadline = deadline
    contest.save(
        update_fields=["status", "results_announced_on", "complaint_deadline", "updated_at"]
    )
    return contest


@transaction.atomic
def file_complaint(
    *,
    contest: Contest,
    actor: Any,
    complainant: str,
    received_on: datetime.date,
    content: str,
    entry: Entry | None = None,
    calendar: WorkCalendar | None = None,
) -> Complaint:
    """Record a complaint. One received after the window is recorded but marked late."""
    if contest.results_announced_on is None:
        raise ContestError(_("Complaints are received once the results are announced."))
    if received_on < contest.results_announced_on:
        raise ContestError(_("A complaint cannot be received before the results are announced."))
    if entry is not None and entry.contest_id != contest.pk:
        raise ContestError(_("This entry belongs to another contest."))
    try:
        deadline = rules.resolution_deadline(received_on, calendar)
    except rules.RuleMissing as error:
        raise ContestError(str(error)) from None
    assert contest.complaint_deadline is not None  # set when the results were announced
    return Complaint.objects.create(
        contest=contest,
        entry=entry,
        complainant=complainant,
        received_on=received_on,
        content=content,
        filed_in_time=received_on <= contest.complaint_deadline,
        resolution_deadline=deadline,
    )


@transaction.atomic
def resolve_complaint(
    *, complaint: Complaint, actor: Any, resolved_on: datetime.date, outcome: str, resolution: str
) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.is_resolved:
        raise ContestError(_("This complaint is already resolved."))
    if resolved_on < complaint.received_on:
        raise ContestError(_("A complaint cannot be resolved before it was received."))
    if outcome not in ComplaintOutcome.values or not resolution.strip():
        raise ContestError(_("Give the outcome and the resolution."))
    complaint.resolved_on = resolved_on
    complaint.outcome = outcome
    complaint.resolution = resolution.strip()
    complaint.save(update_fields=["resolved_on", "outcome", "resolution", "updated_at"])
    return complaint


# --------------------------------------------------------------------------------------------
# Decision and certificates


def certificate_prefix(contest: Contest) -> str:
    """ "T06-2018" for Bắc Kạn's 2018 provincial contest (level letter + area code + year)."""
    letter = LEVEL_LETTER[Level(contest.level)]
    if contest.area is not None:
        place = contest.area.code
    elif contest.region:
        place = contest.region.upper()[:1]
    else:
        place = ""
    return f"{letter}{place}-{contest.year}"


def decision_problems(contest: Contest, decision_date: datetime.date) -> list[str]:
    problems = []
    if contest.complaint_deadline and decision_date <= contest.complaint_deadline:
        problems.append(
            _("Complaints may be filed until %(day)s: the decision comes after that date.")
            % {"day": contest.complaint_deadline.strftime("%d/%m/%Y")}
        )
    open_complaints = contest.complaints.active().filter(resolved_on__isnull=True).count()
    if open_complaints:
        problems.append(
            _("%(count)d complaint(s) are not resolved yet.") % {"count": open_complaints}
        )
    return problems


@transaction.atomic
def record_decision(
    *,
    contest: Contest,
    actor: Any,
    decision_number: str,
    decision_date: datetime.date,
    signer_capacity: str = "",
    signer_position: str = "",
    signer_name: str = "",
    recognised_ids: Iterable[int] | None = None,
) -> list[Certificate]:
    """The authority's decision recognising the products; one certificate per product,
    numbered per contest, issued on the decision date and valid per the validity rule."""
    contest = _lock(contest)
    target = _transition(contest, "record_decision")
    if not decision_number.strip():
        raise ContestError(_("Give the decision number."))
    problems = decision_problems(contest, decision_date)
    if problems:
        raise ContestError(" ".join(problems))
    if recognised_ids is not None:
        _recognise(contest, recognised_ids)
    try:
        valid_until = rules.certificate_valid_until(decision_date)
    except rules.RuleMissing as error:
        raise ContestError(str(error)) from None
    prefix = certificate_prefix(contest)
    taken = Certificate.objects.filter(number__startswith=f"{prefix}-").count()
    recognised = (
        contest.entries.eligible()
        .filter(recognised=True, certificate__isnull=True)
        .select_related("product_group")
        .order_by("product_group__sort_order", "rank_in_group", "product_name", "pk")
    )
    certificates = []
    for number, entry in enumerate(recognised, start=taken + 1):
        certificates.append(
            Certificate.objects.create(
                number=f"{prefix}-{number:03d}",
                entry=entry,
                contest=contest,
                beneficiary_id=entry.beneficiary_id,
                level=contest.level,
                product_name=entry.product_name,
                issued_on=decision_date,
                valid_until=valid_until,
            )
        )
    contest.status = target
    contest.decision_number = decision_number.strip()
    contest.decision_date = decision_date
    contest.signer_capacity = signer_capacity
    contest.signer_position = signer_position
    contest.signer_name = signer_name
    contest.save(
        update_fields=[
            "status",
            "decision_number",
            "decision_date",
            "signer_capacity",
            "signer_position",
            "signer_name",
            "updated_at",
        ]
    )
    return certificates


@transaction.atomic
def revoke_certificate(
    *, certificate: Certificate, actor: Any, revoked_on: datetime.date, reason: str
) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_on is not None:
        raise ContestError(_("This certificate is already revoked."))
    if not reason.strip():
        raise ContestError(_("Give the reason for revoking the certificate."))
    if revoked_on < certificate.issued_on:
        raise ContestError(_("A certificate cannot be revoked before it was issued."))
    certificate.revoked_on = revoked_on
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["revoked_on", "revocation_reason", "updated_at"])
    return certificate


def scoring_progress(contest: Contest) -> list[dict[str, Any]]:
    """Per judge: cards submitted and conflicts declared (no points: those stay private until
    the panel closes)."""
    entries = contest.entries.eligible().count()
    judges = (
        contest.judges.active()
        .select_related("user")
        .annotate(
            submitted=Count(
                "cards",
                filter=Q(cards__submitted_at__isnull=False, cards__entry__archived_at__isnull=True),
            ),
            conflicts=Count("cards", filter=Q(cards__conflict_of_interest=True)),
        )
    )
    return [
        {"judge": judge, "done": judge.submitted, "conflicts": judge.conflicts, "of": entries}
        for judge in judges
    ]
