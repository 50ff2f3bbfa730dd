"""Reads: the rule rows as ``eligibility.Rules``, a registration as ``RegistrationFacts``,
lists, the candidates of a plan and where next year's plan stands (for the report)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, OrganisationKind, Role
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.contests.selectors import has_valid_certificate
from khuyencong.core.search import search
from khuyencong.places.models import AdminUnit
from khuyencong.projects import references
from khuyencong.registrations import eligibility
from khuyencong.registrations.models import (
    AppraisalDecision,
    EligibilityRuleSet,
    ExcludedProduct,
    Outcome,
    PlanEntry,
    PriorityCriterion,
    Recommendation,
    Registration,
    Screening,
    Status,
    SupportLevelRule,
    SupportUnit,
    SupportUpliftRule,
)

SCOPE = {"province": "province", "district": "district", "beneficiary": "beneficiary"}


# --------------------------------------------------------------------------- rules


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


def rules_bundle() -> eligibility.Rules:
    """Every active rule row as plain dataclasses (a handful of queries, whatever the date)."""
    rule_sets = []
    queryset = (
        EligibilityRuleSet.objects.active()
        .select_related("funding_source", "legal_basis")
        .prefetch_related(
            "beneficiary_kinds",
            "industries",
            "content_areas",
            "cleaner_production_areas",
            Prefetch("locations", to_attr="location_rows"),
            Prefetch("conditions", to_attr="condition_rows"),
            "conditions__content_area",
            "conditions__industry",
            "conditions__legal_basis",
        )
    )
    for row in queryset:
        basis = row.citation
        kinds = sorted(row.beneficiary_kinds.all(), key=lambda kind: kind.sort_order)
        rule_sets.append(
            eligibility.RuleSet(
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                code=row.code,
                name=row.name,
                funding_source=row.funding_source.code,
                province_id=row.province_id,
                legal_basis=basis,
                confirmed=row.confirmed,
                beneficiary_kinds=frozenset(kind.code for kind in kinds),
                industries=frozenset(i.code for i in row.industries.all()),
                content_areas=frozenset(a.code for a in row.content_areas.all()),
                cleaner_production_areas=frozenset(
                    a.code for a in row.cleaner_production_areas.all()
                ),
                locations=tuple(
                    eligibility.LocationRule(
                        unit_type=loc.unit_type,
                        parent_unit_type=loc.parent_unit_type,
                        outcome=loc.outcome,
                        explanation=loc.explanation,
                        legal_basis=loc.article or row.location_citation or basis,
                        confirmed=loc.confirmed,
                    )
                    for loc in row.location_rows
                    if loc.archived_at is None
                ),
                conditions=tuple(
                    eligibility.ConditionRule(
                        condition=cond.condition,
                        content_area=_code(cond.content_area),
                        industry=_code(cond.industry),
                        outcome_if_unmet=cond.outcome_if_unmet,
                        legal_basis=cond.citation or basis,
                        parameter=cond.parameter,
                        confirmed=cond.confirmed,
                    )
                    for cond in row.condition_rows
                    if cond.archived_at is None
                ),
                beneficiary_citation=row.beneficiary_citation,
                location_citation=row.location_citation,
                industry_citation=row.industry_citation,
                content_citation=row.content_citation,
                cleaner_production_citation=row.cleaner_production_citation,
                counterpart_citation=row.counterpart_citation,
                allowed_kind_labels=tuple(kind.label for kind in kinds),
            )
        )
    levels = tuple(
        eligibility.SupportLevel(
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            content_area=row.content_area.code,
            funding_source=row.funding_source.code,
            province_id=row.province_id,
            percent=row.percent,
            cap=row.cap,
            unit=row.unit,
            legal_basis=row.citation,
            confirmed=row.confirmed,
        )
        for row in SupportLevelRule.objects.active().select_related(
            "content_area", "funding_source", "legal_basis"
        )
    )
    uplifts = tuple(
        eligibility.Uplift(
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            condition=row.condition,
            multiplier=row.multiplier,
            funding_source=row.funding_source.code,
            province_id=row.province_id,
            content_area=_code(row.content_area),
            legal_basis=row.citation,
            confirmed=row.confirmed,
        )
        for row in SupportUpliftRule.objects.active().select_related(
            "content_area", "funding_source", "legal_basis"
        )
    )
    exclusions = tuple(
        eligibility.Exclusion(
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            code=row.code,
            name=row.name,
            terms=row.terms,
            outcome=row.outcome,
            funding_source=_code(row.funding_source),
            legal_basis=row.citation,
            confirmed=row.confirmed,
        )
        for row in ExcludedProduct.objects.active().select_related("funding_source", "legal_basis")
    )
    criteria = tuple(
        eligibility.PriorityCriterion(
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            code=row.code,
            group=row.group,
            name=row.name,
            points=row.points,
            threshold=row.threshold,
            legal_basis=row.citation,
            confirmed=row.confirmed,
        )
        for row in PriorityCriterion.objects.active().select_related("legal_basis")
    )
    return eligibility.Rules(
        rule_sets=tuple(rule_sets),
        support_levels=levels,
        uplifts=uplifts,
        exclusions=exclusions,
        priority_criteria=criteria,
        unit_labels={value: str(label) for value, label in SupportUnit.choices},
    )


# --------------------------------------------------------------------------- facts


def facts_for(registration: Registration, **overrides: Any) -> eligibility.RegistrationFacts:
    """The registration as the pure rules read it (``overrides`` for a form not saved yet)."""
    values = {name: getattr(registration, name, None) for name in FACT_FIELDS}
    values.update(overrides)
    place = values.pop("place")
    beneficiary = values.pop("beneficiary")
    source = values.pop("funding_source")
    area = values.pop("content_area")
    industry = values.pop("industry")
    if industry is None and beneficiary is not None:
        industry = beneficiary.industry
    areas = values.pop("areas", None)
    if areas is None:
        areas = frozenset(flag for flag in eligibility.AREA_FLAGS if values.get(f"area_{flag}"))
    for flag in eligibility.AREA_FLAGS:
        values.pop(f"area_{flag}", None)
    province_ids: frozenset[int] = frozenset()
    parent_type = ""
    if place is not None:
        parent = place.parent
        parent_type = parent.unit_type if parent is not None else ""
        province_id = place.province_id or place.pk
        province_ids = frozenset(AdminUnit.province_family_ids(province_id))
    kind = beneficiary.kind if beneficiary is not None else None
    registered_on = values.get("registered_on")
    return eligibility.RegistrationFacts(
        certificate_on_record=_certificate_on_record(beneficiary, registered_on),
        funding_source=source.code if source else "",
        funding_source_label=source.label if source else "",
        content_area=area.code if area else "",
        content_area_label=area.label if area else "",
        beneficiary_kind=kind.code if kind else None,
        beneficiary_kind_label=kind.label if kind else "",
        industry=industry.code if industry else None,
        industry_label=industry.label if industry else "",
        province_ids=province_ids,
        place_unit_type=place.unit_type if place is not None else "",
        place_parent_type=parent_type,
        place_label=place.full_path if place is not None else "",
        areas=frozenset(areas),
        **{key: _default(key, value) for key, value in values.items()},
    )


def _certificate_on_record(beneficiary: Any, day: Any) -> bool:
    """A product-vote certificate valid on the registration date (contests app)."""
    if beneficiary is None or not isinstance(day, datetime.date):
        return False
    return has_valid_certificate(beneficiary, day)


FACT_FIELDS = (
    "place",
    "beneficiary",
    "funding_source",
    "content_area",
    "industry",
    "registered_on",
    "target_year",
    "title",
    "product",
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
    "machinery_new",
    "technology_new_in_district",
    "production_line",
    "fairs_abroad_count",
    "pollution_assessment",
    "planned_start",
    "planned_end",
    *(f"area_{flag}" for flag in eligibility.AREA_FLAGS),
)

_DEFAULTS = {
    "total_investment": 0,
    "requested_national": 0,
    "requested_local": 0,
    "requested_other": 0,
    "counterpart": 0,
    "workforce": 0,
    "local_raw_material_percent": 0,
    "title": "",
    "product": "",
    "export_contract": False,
    "supporting_industry_product": False,
    "certified_product": False,
    "production_line": False,
}


def _default(key: str, value: Any) -> Any:
    return _DEFAULTS.get(key) if value is None and key in _DEFAULTS else value


def preview(registration: Registration, rules: eligibility.Rules | None = None) -> dict[str, Any]:
    """Screening and priority computed now, not stored (drafts)."""
    rules = rules or rules_bundle()
    facts = facts_for(registration)
    results = eligibility.screen(facts, rules)
    outcome = eligibility.overall(results)
    return {
        "checks": results,
        "outcome": outcome,
        "outcome_label": Outcome(outcome).label,
        "priority": eligibility.priority_score(facts, rules),
    }


# --------------------------------------------------------------------------- lists


def registration_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet:
    """Registrations the user may see, with what the list shows (a fixed number of queries)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    queryset = roles.scope_queryset(user, Registration.objects.active(), **SCOPE)
    queryset = queryset.select_related(
        "funding_source", "content_area", "beneficiary", "place", "province", "decision"
    )
    if "year" in filters:
        queryset = queryset.filter(target_year=filters["year"])
    if "funding_source" in filters:
        queryset = queryset.filter(funding_source__code=filters["funding_source"])
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "q" in filters:
        queryset = search(queryset, filters["q"])
    return queryset.order_by("-target_year", "code")


def latest_screenings(registrations: list[Registration]) -> dict[int, Screening]:
    """The latest screening of each registration, in one query."""
    latest: dict[int, Screening] = {}
    rows = Screening.objects.filter(registration__in=registrations).order_by(
        "registration_id", "screened_at", "id"
    )
    for row in rows:
        latest[row.registration_id] = row
    return latest


def latest_screening(registration: Registration) -> Screening | None:
    return (
        registration.screenings.select_related("rule_set", "funding_source")
        .prefetch_related("checks", "priority_parts")
        .order_by("-screened_at", "-id")
        .first()
    )


def average_score(registration: Registration) -> float | None:
    """Mean total points of the appraisal sheets without a conflict of interest."""
    totals = [
        sheet.total_points
        for sheet in registration.appraisals.active().prefetch_related("scores")
        if not sheet.conflict_of_interest
    ]
    return sum(totals) / len(totals) if totals else None


# --------------------------------------------------------------------------- choices


def beneficiaries_for(user: Any) -> QuerySet[Beneficiary]:
    """The establishments ``user`` may register for: a beneficiary user's own, else the active
    ones of the user's area (the form's choices; ``services`` refuses any other)."""
    if roles.role_of(user) == Role.BENEFICIARY:
        return Beneficiary.objects.filter(pk=user.beneficiary_id)
    queryset = roles.scope_queryset(
        user,
        Beneficiary.objects.active(),
        province="province",
        district="district",
        beneficiary="pk",
    )
    return queryset.select_related("commune").order_by("name")


def implementing_units_for(user: Any) -> QuerySet[Organisation]:
    """The khuyến công centres ``user`` may choose (the form's choices; ``services`` refuses
    any other): those among ``references.organisations_for`` (the user's province, a district
    officer's too), a beneficiary user's those of its establishment's province."""
    if roles.role_of(user) == Role.BENEFICIARY:
        own = Beneficiary.objects.filter(pk=user.beneficiary_id).values("province_id").first()
        family = AdminUnit.province_family_ids(own["province_id"]) if own else set()
        organisations = Organisation.objects.active().filter(province_id__in=family)
    else:
        organisations = references.organisations_for(user)
    return organisations.filter(kind=OrganisationKind.CENTRE)


# --------------------------------------------------------------------------- plans


def plan_candidates(province: AdminUnit, year: int, source_code: str) -> QuerySet:
    """Accepted registrations of the province for the year and source, best priority first."""
    family = AdminUnit.province_family_ids(province.pk)
    return (
        Registration.objects.active()
        .filter(
            province_id__in=family,
            target_year=year,
            funding_source__code=source_code,
            status__in=[Status.ACCEPTED, Status.APPROVED],
        )
        .select_related("beneficiary", "place", "content_area", "decision", "project")
        .order_by("code")
    )


def entries_of(plan: Any) -> QuerySet:
    return (
        PlanEntry.objects.active()
        .filter(plan=plan)
        .select_related("registration__beneficiary", "registration__project")
    )


@dataclass(frozen=True)
class NextYearPlanStatus:
    """Where a source's plan for ``year`` stands, from the registrations received.

    ``registration_count``: registrations received for the year (every source);
    ``qualified_count`` / ``qualified_budget``: those of this source that pass screening or
    were accepted by the council (with the support asked, or accepted).
    """

    year: int
    source_code: str
    registration_count: int
    qualified_count: int
    qualified_budget: int

    @property
    def registrations_received(self) -> bool:
        return self.registration_count > 0

    @property
    def outcome(self) -> str:
        """ "no_registrations", "no_qualified" (the seed's "no source") or "qualified"."""
        if not self.registrations_received:
            return "no_registrations"
        return "qualified" if self.qualified_count else "no_qualified"


def next_year_plan_status(
    province: AdminUnit, year: int, source: Any = "national", as_of: datetime.date | None = None
) -> NextYearPlanStatus:
    """The outcome the report states about next year's plan for ``source`` (code or row)."""
    source_code = getattr(source, "code", source)
    family = AdminUnit.province_family_ids(province.pk)
    received = (
        Registration.objects.active().received().filter(province_id__in=family, target_year=year)
    )
    if as_of is not None:
        received = received.filter(registered_on__lte=as_of)
    received = list(received.select_related("funding_source"))
    mine = [r for r in received if r.funding_source.code == source_code]
    decisions = {
        d.registration_id: d for d in AppraisalDecision.objects.filter(registration__in=mine)
    }
    screenings = latest_screenings(mine)
    qualified = 0
    budget = 0
    for registration in mine:
        decision = decisions.get(registration.pk)
        if registration.status in (Status.REJECTED,):
            continue
        if decision is not None and decision.outcome != Recommendation.REJECT:
            qualified += 1
            budget += decision.approved_support
            continue
        screening = screenings.get(registration.pk)
        if screening is not None and screening.outcome == Outcome.PASS:
            qualified += 1
            budget += registration.requested_from(source_code)
    return NextYearPlanStatus(
        year=year,
        source_code=source_code,
        registration_count=len(received),
        qualified_count=qualified,
        qualified_budget=budget,
    )
