"""Writes on registrations: keyword-only functions, one transaction each.

Each checks the permission through ``accounts.roles.check`` (with the registration, so scope
applies), the step through ``workflow``, the input through ``eligibility.validate_facts`` and
only then writes. A refusal raises ``Refused`` (``InputError`` for bad input, with the field
of each problem) or ``VersionConflict``; nothing is written then.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.core.models import VersionConflict, lock_versioned
from khuyencong.core.money import format_vnd
from khuyencong.core.text import clean_text
from khuyencong.core.uploads import check_upload
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit
from khuyencong.projects import references
from khuyencong.projects.services import SystemActor, actor_row
from khuyencong.registrations import eligibility, selectors, workflow
from khuyencong.registrations.models import (
    Appraisal,
    AppraisalCriterion,
    AppraisalDecision,
    AppraisalScore,
    EligibilityRuleSet,
    EventKind,
    Outcome,
    PlanEntry,
    Recommendation,
    Registration,
    RegistrationAttachment,
    RegistrationEvent,
    Screening,
    ScreeningCheck,
    ScreeningPriorityPart,
    Status,
)

__all__ = [
    "InputError",
    "Refused",
    "VersionConflict",
    "add_attachment",
    "create_registration",
    "decide_registration",
    "record_appraisal",
    "return_registration",
    "screen_registration",
    "submit_registration",
    "update_registration",
    "withdraw_registration",
]


class InputError(Refused):
    """Bad input: one or more problems, each tied to a field (``problems``)."""

    def __init__(self, problems: list[eligibility.Problem]):
        self.problems = problems
        message = " ".join(dict.fromkeys(problem.message for problem in problems))
        super().__init__(message, "input")

    @property
    def by_field(self) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {}
        for problem in self.problems:
            fields.setdefault(problem.field, []).append(problem.message)
        return fields


EDITABLE_FIELDS = frozenset(
    {
        "target_year",
        "funding_source",
        "content_area",
        "title",
        "beneficiary",
        "implementing_unit",
        "place",
        "industry",
        "product",
        "description",
        "registered_on",
        "planned_start",
        "planned_end",
        "total_investment",
        "requested_national",
        "requested_local",
        "requested_other",
        "counterpart",
        "workforce",
        "local_raw_material_percent",
        "export_contract",
        "supporting_industry_product",
        "certified_product",
        "area_upland_border_ethnic",
        "area_poor_district",
        "area_new_rural",
        "area_difficult",
        "machinery_new",
        "technology_new_in_district",
        "production_line",
        "fairs_abroad_count",
        "pollution_assessment",
    }
)
TEXT_FIELDS = ("title", "product", "description")


def today() -> datetime.date:
    return timezone.localdate()


def _lock(registration: Registration, expected_version: int | None) -> Registration:
    return lock_versioned(
        registration,
        expected_version,
        related=(
            "funding_source",
            "content_area",
            "beneficiary__kind",
            "place__parent",
        ),
        archived=_("This registration is archived."),
    )


def _event(
    registration: Registration,
    kind: str,
    *,
    actor: Any,
    on: datetime.date,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> RegistrationEvent:
    return RegistrationEvent.objects.create(
        registration=registration,
        kind=kind,
        date=on,
        from_status=from_status,
        to_status=to_status,
        note=clean_text(note),
        actor=actor_row(actor),
    )


# --------------------------------------------------------------------------- validation


def _is_beneficiary_user(actor: Any) -> bool:
    return not isinstance(actor, SystemActor) and roles.role_of(actor) == Role.BENEFICIARY


def validate(registration: Registration, *, actor: Any) -> None:
    """Every input rule on an unsaved (or changed) registration; raises ``InputError``."""
    problems: list[eligibility.Problem] = []
    for name in TEXT_FIELDS:
        setattr(registration, name, clean_text(getattr(registration, name)))
    if not registration.title:
        problems.append(eligibility.Problem("title", _("Enter the project title.")))
    place = registration.place if registration.place_id else None
    day = registration.registered_on
    if place is None:
        problems.append(eligibility.Problem("place", _("Choose the commune of the project.")))
    elif place.level != "commune":
        problems.append(
            eligibility.Problem(
                "place",
                _("“%(unit)s” is not a commune: choose the commune of the project.")
                % {"unit": place.name},
            )
        )
    elif isinstance(day, datetime.date) and not place.is_valid_on(day):
        problems.append(
            eligibility.Problem(
                "place",
                _("%(place)s was not an administrative unit on %(date)s.")
                % {"place": place.full_path, "date": eligibility.day_text(day)},
            )
        )
    beneficiary = registration.beneficiary if registration.beneficiary_id else None
    if beneficiary is None:
        problems.append(eligibility.Problem("beneficiary", _("Choose the beneficiary.")))
    else:
        if beneficiary.archived_at is not None:
            problems.append(eligibility.Problem("beneficiary", _("This beneficiary is archived.")))
        if _is_beneficiary_user(actor) and beneficiary.pk != actor.beneficiary_id:
            problems.append(
                eligibility.Problem(
                    "beneficiary", _("A beneficiary registers only for its own establishment.")
                )
            )
        if place is not None and place.level == "commune":
            family = AdminUnit.province_family_ids(beneficiary.province_id)
            if place.province_id not in family:
                problems.append(
                    eligibility.Problem(
                        "place", _("The place must be in the beneficiary's province.")
                    )
                )
    area = registration.content_area if registration.content_area_id else None
    if area is not None and area.parent_id is None:
        problems.append(
            eligibility.Problem("content_area", _("Choose a content, not a group of contents."))
        )
    if registration.funding_source_id and registration.requested <= 0:
        problems.append(
            eligibility.Problem(
                f"requested_{registration.funding_source.code}",
                _("Enter the support requested from the funding source you want."),
            )
        )
    if registration.funding_source_id and registration.content_area_id and beneficiary:
        facts = selectors.facts_for(registration)
        problems += eligibility.validate_facts(facts)
    if problems:
        raise InputError(problems)


REFERENCE_FIELDS = ("beneficiary", "implementing_unit")
REFERENCE_MESSAGES = {
    "beneficiary": references.MESSAGES["beneficiary"],
    "implementing_unit": gettext_lazy(
        "Choose an industrial extension centre of your area of responsibility."
    ),
}


def check_references(
    registration: Registration, *, actor: Any, fields: Sequence[str] = REFERENCE_FIELDS
) -> None:
    """The beneficiary and implementing unit (or only ``fields``) among those ``actor`` may
    choose (the form's choices, ``selectors``): else ``references.OutOfArea``. The place is
    in the actor's scope by ``roles.require`` on the located registration."""
    allowed = {
        "beneficiary": selectors.beneficiaries_for,
        "implementing_unit": selectors.implementing_units_for,
    }
    references.check(
        {
            name: (getattr(registration, name), allowed[name](actor))
            for name in fields
            if getattr(registration, f"{name}_id") is not None
        },
        REFERENCE_MESSAGES,
    )


def completeness_problems(registration: Registration) -> list[eligibility.Problem]:
    """What a dossier must hold before it is submitted."""
    problems = []
    if not registration.description:
        problems.append(
            eligibility.Problem("description", _("Describe the project before submitting it."))
        )
    if registration.total_investment <= 0:
        problems.append(
            eligibility.Problem(
                "total_investment", _("Enter the total investment before submitting.")
            )
        )
    if not registration.product:
        problems.append(
            eligibility.Problem("product", _("Name the products and technology before submitting."))
        )
    return problems


# --------------------------------------------------------------------------- create and edit


def _next_code(province_code: str, year: int) -> str:
    prefix = f"DK-{province_code}-{year}-"
    codes = Registration.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code.removeprefix(prefix)) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def create_registration(*, actor: Any, **fields: Any) -> Registration:
    """A draft registration (status ``draft``, with its ``create`` event)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not a registration field: {', '.join(sorted(unknown))}")
    fields.setdefault("registered_on", today())
    registration = Registration(**fields, status=Status.DRAFT, created_by=actor_row(actor))
    if registration.beneficiary_id and registration.industry_id is None:
        registration.industry = registration.beneficiary.industry
    if registration.place_id:
        registration.locate()
    roles.require(actor, "registrations.register", registration if registration.place_id else None)
    validate(registration, actor=actor)
    check_references(registration, actor=actor)
    for _attempt in range(3):
        registration.code = _next_code(registration.province.code, registration.target_year)
        try:
            with transaction.atomic():
                registration.save()
                _event(
                    registration,
                    EventKind.CREATE,
                    actor=actor,
                    on=today(),
                    to_status=Status.DRAFT,
                )
            return registration
        except IntegrityError:
            if Registration.objects.filter(code=registration.code).exists():
                registration.pk = None
                continue  # another registration took the code meanwhile
            raise
    raise Refused(_("Could not number the registration; try again."), "code")


def update_registration(
    *, registration: Registration, actor: Any, expected_version: int, **changes: Any
) -> Registration:
    """Edit a draft or returned registration."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not a registration field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = _lock(registration, expected_version)
        roles.require(actor, "registrations.register", locked)
        if locked.status not in workflow.EDITABLE:
            raise Refused(
                _("Only a draft or returned registration can be edited; it is “%(status)s”.")
                % {"status": locked.get_status_display()},
                "status",
            )
        # the references changed: those kept stay, even if no longer among the actor's choices
        changed = [
            name
            for name in REFERENCE_FIELDS
            if name in changes
            and getattr(locked, f"{name}_id") != getattr(changes[name], "pk", None)
        ]
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.locate()
        roles.require(actor, "registrations.register", locked)  # still in scope after the edit
        validate(locked, actor=actor)
        check_references(locked, actor=actor, fields=changed)
        locked.save_versioned(expected_version)
    registration.refresh_from_db()
    return registration


# --------------------------------------------------------------------------- steps


def _step(
    registration: Registration,
    kind: str,
    *,
    actor: Any,
    on: datetime.date | None,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    step = workflow.step_for(kind)
    locked = _lock(registration, expected_version)
    workflow.check_step(step, locked.status, reason)
    roles.require(actor, step.permission, locked)
    previous = locked.status
    locked.status = step.target
    locked.version += 1
    locked._change_reason = str(EventKind(kind).label)
    locked.save(update_fields=["status", "version", "updated_at"])
    _event(
        locked,
        kind,
        actor=actor,
        on=on or today(),
        from_status=previous,
        to_status=step.target,
        note=reason,
    )
    return locked


def submit_registration(
    *,
    registration: Registration,
    actor: Any,
    on: datetime.date | None = None,
    expected_version: int | None = None,
    rules: eligibility.Rules | None = None,
) -> Screening:
    """Submit the dossier and screen it; returns the screening (stored with its checks)."""
    with transaction.atomic():
        locked = _lock(registration, expected_version)
        roles.require(actor, "registrations.register", locked)
        problems = completeness_problems(locked)
        if problems:
            raise InputError(problems)
        validate(locked, actor=actor)
        locked = _step(locked, EventKind.SUBMIT, actor=actor, on=on)
        screening = _screen(locked, actor=actor, on=on, rules=rules)
    registration.refresh_from_db()
    return screening


def return_registration(
    *,
    registration: Registration,
    actor: Any,
    reason: str,
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Registration:
    """Send a submitted dossier back for completion (the reason says what is missing)."""
    with transaction.atomic():
        _step(
            registration,
            EventKind.RETURN,
            actor=actor,
            on=on,
            reason=reason,
            expected_version=expected_version,
        )
    registration.refresh_from_db()
    return registration


def withdraw_registration(
    *,
    registration: Registration,
    actor: Any,
    reason: str,
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Registration:
    """Withdraw a registration (also from a draft plan; never from a submitted one)."""
    with transaction.atomic():
        entries = PlanEntry.objects.active().filter(registration=registration)
        for entry in entries.select_related("plan"):
            if entry.plan.status != "draft":
                raise Refused(
                    _(
                        "The registration is in the plan “%(plan)s”, which is already "
                        "submitted: it can no longer be withdrawn."
                    )
                    % {"plan": entry.plan.title},
                    "in_plan",
                )
        locked = _step(
            registration,
            EventKind.WITHDRAW,
            actor=actor,
            on=on,
            reason=reason,
            expected_version=expected_version,
        )
        for entry in entries:
            entry.archive()
            _event(locked, EventKind.UNPLAN, actor=actor, on=on or today(), note=entry.plan.title)
    registration.refresh_from_db()
    return registration


def screen_registration(
    *,
    registration: Registration,
    actor: Any,
    on: datetime.date | None = None,
    rules: eligibility.Rules | None = None,
) -> Screening:
    """Screen a received registration again (e.g. after an administrator corrected a rule)."""
    with transaction.atomic():
        locked = _lock(registration, None)
        roles.require(actor, "registrations.receive", locked)
        if locked.status in (Status.DRAFT, Status.WITHDRAWN):
            raise Refused(_("Only a received registration is screened."), "status")
        screening = _screen(locked, actor=actor, on=on, rules=rules)
    return screening


def _screen(
    registration: Registration,
    *,
    actor: Any,
    on: datetime.date | None,
    rules: eligibility.Rules | None,
) -> Screening:
    rules = rules or selectors.rules_bundle()
    facts = selectors.facts_for(registration)
    results = eligibility.screen(facts, rules)
    priority = eligibility.priority_score(facts, rules)
    rule_set = eligibility.choose_rule_set(rules, facts)
    limit = eligibility.support_limit_for(facts, rules)

    screening = Screening.objects.create(
        registration=registration,
        rules_date=facts.registered_on,
        funding_source=registration.funding_source,
        rule_set=(
            EligibilityRuleSet.objects.filter(code=rule_set.code).first() if rule_set else None
        ),
        outcome=eligibility.overall(results),
        priority_area_points=priority.area_points,
        priority_industry_points=priority.industry_points,
        support_limit=limit,
        actor=actor_row(actor),
    )
    ScreeningCheck.objects.bulk_create(
        ScreeningCheck(
            screening=screening,
            position=position,
            code=result.code,
            outcome=result.outcome,
            message=result.message_vi,
            legal_basis=result.legal_basis[:500],
        )
        for position, result in enumerate(results, start=1)
    )
    ScreeningPriorityPart.objects.bulk_create(
        ScreeningPriorityPart(
            screening=screening,
            position=position,
            code=part.code,
            group=part.group,
            name=part.name,
            points=part.points,
            met=part.met,
            confirmed=part.confirmed,
        )
        for position, part in enumerate(priority.parts, start=1)
    )
    _event(
        registration,
        EventKind.SCREEN,
        actor=actor,
        on=on or today(),
        note=str(Outcome(screening.outcome).label),
    )
    return screening


# --------------------------------------------------------------------------- appraisal


def record_appraisal(
    *,
    registration: Registration,
    actor: Any,
    appraised_on: datetime.date,
    scores: Mapping[str, int] | None = None,
    opinion: str = "",
    recommendation: str = "",
    recommended_support: int | None = None,
    conflict_of_interest: bool = False,
    conflict_note: str = "",
) -> Appraisal:
    """One appraiser's sheet: points per criterion, opinion, recommendation.

    An appraiser with a conflict of interest (declared, or found: they work for the
    implementing unit or created the registration) records the conflict and no score; their
    sheet does not count in the average. Recording again replaces the appraiser's sheet (the
    earlier one is archived, its history kept).
    """
    scores = dict(scores or {})
    with transaction.atomic():
        locked = _lock(registration, None)
        roles.require(actor, "registrations.appraise", locked)
        if locked.status not in workflow.APPRAISABLE:
            raise Refused(
                _("Appraisal sheets are recorded while the registration is submitted."), "status"
            )
        problems = _appraisal_problems(
            locked,
            actor=actor,
            appraised_on=appraised_on,
            scores=scores,
            recommendation=recommendation,
            recommended_support=recommended_support,
            conflict=conflict_of_interest,
            conflict_note=conflict_note,
        )
        if problems:
            raise InputError(problems)
        for earlier in Appraisal.objects.active().filter(
            registration=locked, appraiser=actor_row(actor)
        ):
            earlier.archive()
        sheet = Appraisal.objects.create(
            registration=locked,
            appraiser=actor,
            appraised_on=appraised_on,
            conflict_of_interest=conflict_of_interest,
            conflict_note=clean_text(conflict_note),
            opinion=clean_text(opinion),
            recommendation="" if conflict_of_interest else recommendation,
            recommended_support=None if conflict_of_interest else recommended_support,
        )
        if not conflict_of_interest:
            criteria = {c.code: c for c in _criteria(appraised_on)}
            AppraisalScore.objects.bulk_create(
                AppraisalScore(appraisal=sheet, criterion=criteria[code], points=points)
                for code, points in scores.items()
            )
        note = _("conflict of interest declared") if conflict_of_interest else ""
        _event(locked, EventKind.APPRAISE, actor=actor, on=appraised_on, note=note)
    return sheet


def _criteria(day: datetime.date) -> list[AppraisalCriterion]:
    return list(AppraisalCriterion.objects.active().valid_on(day).order_by("sort_order"))


def _appraisal_problems(
    registration: Registration,
    *,
    actor: Any,
    appraised_on: Any,
    scores: dict[str, int],
    recommendation: str,
    recommended_support: int | None,
    conflict: bool,
    conflict_note: str,
) -> list[eligibility.Problem]:
    Problem = eligibility.Problem
    problems = []
    if not isinstance(appraised_on, datetime.date):
        return [Problem("appraised_on", _("Enter the appraisal date."))]
    if appraised_on < registration.registered_on:
        problems.append(
            Problem("appraised_on", _("The appraisal date is before the registration date."))
        )
    if appraised_on.year not in (registration.target_year - 1, registration.target_year):
        problems.append(
            Problem(
                "appraised_on",
                _("The appraisal takes place in %(previous)s or %(year)s.")
                % {"previous": registration.target_year - 1, "year": registration.target_year},
            )
        )
    if conflict:
        if not clean_text(conflict_note):
            problems.append(Problem("conflict_note", _("Describe the conflict of interest.")))
        if scores:
            problems.append(
                Problem("scores", _("An appraiser with a conflict of interest gives no score."))
            )
        return problems
    own_unit = (
        registration.implementing_unit_id is not None
        and getattr(actor, "organisation_id", None) == registration.implementing_unit_id
    )
    if own_unit or (actor_row(actor) is not None and registration.created_by_id == actor.pk):
        problems.append(
            Problem(
                "conflict_of_interest",
                _(
                    "You prepared this registration or work for its implementing unit: declare "
                    "the conflict of interest; your sheet will not be scored."
                ),
            )
        )
    criteria = {c.code: c for c in _criteria(appraised_on)}
    if not criteria:
        problems.append(
            Problem(
                "scores", _("No appraisal criteria are in force: an administrator must add them.")
            )
        )
    for code, criterion in criteria.items():
        points = scores.get(code)
        if points is None:
            problems.append(Problem(code, _("Score “%(name)s”.") % {"name": criterion.name}))
        elif (
            not isinstance(points, int)
            or isinstance(points, bool)
            or not (0 <= points <= criterion.max_points)
        ):
            problems.append(
                Problem(
                    code,
                    _("“%(name)s” is scored from 0 to %(max)s.")
                    % {"name": criterion.name, "max": criterion.max_points},
                )
            )
    for code in set(scores) - set(criteria):
        problems.append(Problem("scores", _("Unknown criterion “%(code)s”.") % {"code": code}))
    if recommendation not in Recommendation.values:
        problems.append(Problem("recommendation", _("Choose a recommendation.")))
    requested = registration.requested
    if recommended_support is not None:
        if (
            not isinstance(recommended_support, int)
            or isinstance(recommended_support, bool)
            or recommended_support < 0
        ):
            problems.append(
                Problem("recommended_support", _("An amount of money cannot be negative."))
            )
        elif recommended_support > requested:
            problems.append(
                Problem(
                    "recommended_support",
                    _("The recommended support is above the support requested (%(requested)s).")
                    % {"requested": format_vnd(requested)},
                )
            )
    return problems


def decide_registration(
    *,
    registration: Registration,
    actor: Any,
    outcome: str,
    decision_number: str,
    decision_date: datetime.date,
    approved_support: int | None = None,
    reason: str = "",
    council: str = "",
) -> AppraisalDecision:
    """The appraisal council's decision: accept (the support requested), reduce (less), or
    reject. Accepting needs at least one scored sheet and a screening without a fail; when
    the screening left points to review, the reason records how the council settled them."""
    Problem = eligibility.Problem
    kinds: dict[str, EventKind] = {
        Recommendation.ACCEPT: EventKind.ACCEPT,
        Recommendation.REDUCE: EventKind.REDUCE,
        Recommendation.REJECT: EventKind.REJECT,
    }
    kind = kinds.get(outcome)
    if kind is None:
        raise InputError([Problem("outcome", _("Choose the council's decision."))])
    with transaction.atomic():
        locked = _lock(registration, None)
        step = workflow.step_for(kind)
        workflow.check_step(step, locked.status, reason or "-")
        roles.require(actor, step.permission, locked)
        problems = []
        decision_number = clean_text(decision_number)
        reason = clean_text(reason)
        if not decision_number:
            problems.append(
                Problem("decision_number", _("Enter the number of the minutes or decision."))
            )
        if not isinstance(decision_date, datetime.date):
            problems.append(Problem("decision_date", _("Enter the decision date.")))
        elif decision_date < locked.registered_on or decision_date.year not in (
            locked.target_year - 1,
            locked.target_year,
        ):
            problems.append(
                Problem(
                    "decision_date",
                    _(
                        "The decision date must follow the registration and fall in "
                        "%(previous)s or %(year)s."
                    )
                    % {"previous": locked.target_year - 1, "year": locked.target_year},
                )
            )
        requested = locked.requested
        if outcome == Recommendation.ACCEPT:
            approved_support = requested if approved_support is None else approved_support
            if approved_support != requested:
                problems.append(
                    Problem(
                        "approved_support",
                        _("Accepting gives the support requested; to give less, choose reduce."),
                    )
                )
        elif outcome == Recommendation.REDUCE:
            if (
                not isinstance(approved_support, int)
                or isinstance(approved_support, bool)
                or not 0 < approved_support < requested
            ):
                problems.append(
                    Problem(
                        "approved_support",
                        _(
                            "A reduced support is above 0 and below the support requested "
                            "(%(requested)s)."
                        )
                        % {"requested": format_vnd(requested)},
                    )
                )
            if not reason:
                problems.append(Problem("reason", _("Give the reason for reducing the support.")))
        else:
            approved_support = 0
            if not reason:
                problems.append(Problem("reason", _("Give the reason for rejecting.")))
        if outcome != Recommendation.REJECT:
            scored = locked.appraisals.active().filter(conflict_of_interest=False).exists()
            if not scored:
                problems.append(
                    Problem(
                        "outcome",
                        _(
                            "The council decides after at least one appraisal sheet without a "
                            "conflict of interest."
                        ),
                    )
                )
            screening = selectors.latest_screening(locked)
            if screening is None:
                problems.append(Problem("outcome", _("Screen the registration first.")))
            elif screening.outcome == Outcome.FAIL:
                problems.append(
                    Problem(
                        "outcome",
                        _(
                            "The screening found the registration not eligible: it cannot be "
                            "accepted (correct the dossier and screen it again, or reject it)."
                        ),
                    )
                )
            elif screening.outcome == Outcome.NEEDS_REVIEW and not reason:
                problems.append(
                    Problem(
                        "reason",
                        _(
                            "The screening left points to review: record how the council "
                            "settled them."
                        ),
                    )
                )
        if problems:
            raise InputError(problems)
        assert approved_support is not None  # each outcome above set or checked it
        decision = AppraisalDecision.objects.create(
            registration=locked,
            outcome=outcome,
            approved_support=approved_support,
            decision_number=decision_number,
            decision_date=decision_date,
            reason=reason,
            council=clean_text(council),
            decided_by=actor_row(actor),
        )
        _step(locked, kind, actor=actor, on=decision_date, reason=reason)
    registration.refresh_from_db()
    return decision


# --------------------------------------------------------------------------- attachments


def add_attachment(
    *, registration: Registration, actor: Any, title: str, file: Any
) -> RegistrationAttachment:
    """Attach a checked file (size and real type) to an editable registration."""
    from django.core.exceptions import ValidationError

    roles.require(actor, "registrations.register", registration)
    if registration.status not in workflow.EDITABLE:
        raise Refused(_("Files are added while the registration is a draft or returned."), "status")
    title = clean_text(title)
    if not title:
        raise InputError([eligibility.Problem("title", _("Enter the document title."))])
    try:
        sniffed = check_upload(file)
    except ValidationError as error:
        raise InputError([eligibility.Problem("file", " ".join(error.messages))]) from None
    attachment = RegistrationAttachment(
        registration=registration,
        title=title,
        original_name=clean_text(getattr(file, "name", ""))[:255],
        size=sniffed.size,
        content_type=sniffed.content_type,
        uploaded_by=actor_row(actor),
    )
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    return attachment
