"""Eligibility screening of a registration (đăng ký đề án): pure rules, no database, no HTTP.

Input: a ``RegistrationFacts`` (what the registration says) and a ``Rules`` bundle (every rule
row an administrator keeps: rule sets, location rules, conditions, support levels, uplifts,
excluded products, priority criteria, each with its validity dates and legal basis). Output:
one ``CheckResult`` per check — pass / fail / needs review — with a Vietnamese explanation and
the legal basis it rests on. ``selectors.rules_bundle()`` builds the ``Rules`` from the rows.

Choosing the rules (``choose_rule_set``, ``choose_support_level``): the rows valid on the
registration's date for its funding source; a province's own rows win over general ones
(province ``None``); then the most recent ``valid_from``. Decree 45/2012 rules apply before
15/10/2025 and Decree 235/2025 rules from that date because that is how their rows are dated.

Numbers are never constants here. A fail that rests on a row marked unconfirmed (its number
or wording was not read in the legal text) is reported as *needs review*, never as a plain
fail: a person checks the text before anyone is refused on it.

Properties (tests/registrations/test_eligibility_properties.py): no input makes ``screen``
raise; every result that is not a pass carries an explanation; raising a cap (or a
percentage) never makes a result stricter.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import TypeGuard, cast

from django.utils import translation
from django.utils.translation import gettext as _

from khuyencong.core.money import format_vnd, percent_of
from khuyencong.core.text import day_text, normalize

PASS = "pass"
NEEDS_REVIEW = "needs_review"
FAIL = "fail"
OUTCOMES = (PASS, NEEDS_REVIEW, FAIL)
SEVERITY = {PASS: 0, NEEDS_REVIEW: 1, FAIL: 2}

FUNDING_SOURCES = ("national", "local", "other")
STATE_SOURCES = ("national", "local")  # khuyến công funds: asking both is double funding

# Support-level units (the "/ cơ sở" of "≤ 300 triệu đồng/cơ sở").
UNITS = (
    "establishment",
    "enterprise",
    "model",
    "brand",
    "product",
    "round",
    "cluster",
    "project",
)

# Conditions a rule set may attach to a content area or an industry (codes; rows are data).
CONDITIONS = (
    "machinery_new",
    "technology_new_in_district",
    "fairs_abroad_limit",
    "pollution_assessment",
    "difficult_area",
)

# Priority criteria (legal notes §1.5): the facts each code reads.
AREA_FLAGS = ("upland_border_ethnic", "poor_district", "new_rural", "difficult")
PRIORITY_CODES = (
    *(f"area_{flag}" for flag in AREA_FLAGS),
    "export_contract",
    "local_raw_materials",
    "labour_intensive",
    "supporting_industry",
    "certified_product",
)
UPLIFT_CONDITIONS = ("priority", "production_line")

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class RegistrationFacts:
    """What a registration says, by catalog code (labels only for the messages)."""

    registered_on: datetime.date
    target_year: int
    funding_source: str  # FundingSource.code
    content_area: str  # ContentArea.code
    beneficiary_kind: str | None = None  # BeneficiaryKind.code
    industry: str | None = None  # Industry.code
    province_ids: frozenset[int] = frozenset()  # the registration's province and its family
    place_unit_type: str = ""  # "Xã", "Phường", "Thị trấn", "Đặc khu"
    place_parent_type: str = ""  # "Huyện", "Thị xã", "Thành phố", "Quận" (or "Tỉnh" after 2025)
    title: str = ""
    product: str = ""  # products and technology, matched against excluded products
    total_investment: int = 0
    requested_national: int = 0
    requested_local: int = 0
    requested_other: int = 0
    counterpart: int = 0
    workforce: int = 0
    local_raw_material_percent: int = 0
    export_contract: bool = False
    supporting_industry_product: bool = False
    certified_product: bool = False  # declared on the form (a certificate the registry lacks)
    # the registry holds a product-vote certificate of the beneficiary valid on registered_on
    certificate_on_record: bool = False
    areas: frozenset[str] = frozenset()  # AREA_FLAGS that apply to the place
    machinery_new: bool | None = None
    technology_new_in_district: bool | None = None
    production_line: bool = False
    fairs_abroad_count: int | None = None  # fairs abroad already supported this year
    pollution_assessment: bool | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    # display labels
    place_label: str = ""
    beneficiary_kind_label: str = ""
    industry_label: str = ""
    content_area_label: str = ""
    funding_source_label: str = ""

    def requested_from(self, source: str) -> int:
        return {
            "national": self.requested_national,
            "local": self.requested_local,
            "other": self.requested_other,
        }.get(source, 0)

    @property
    def requested(self) -> int:
        """The support requested from the source being screened (the registration's own)."""
        return self.requested_from(self.funding_source)

    @property
    def requested_total(self) -> int:
        return self.requested_national + self.requested_local + self.requested_other


@dataclass(frozen=True)
class Problem:
    """Bad input: which field, and why (Vietnamese through gettext)."""

    field: str
    message: str


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Dated:
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class LocationRule:
    unit_type: str  # of the place (commune level)
    parent_unit_type: str  # "" = any parent
    outcome: str
    explanation: str
    legal_basis: str
    confirmed: bool = True


@dataclass(frozen=True)
class ConditionRule:
    condition: str  # one of CONDITIONS
    content_area: str | None  # applies to this content area …
    industry: str | None  # … or to this industry (None and None: never applies)
    outcome_if_unmet: str
    legal_basis: str
    parameter: int | None = None
    confirmed: bool = True


@dataclass(frozen=True)
class RuleSet(Dated):
    code: str = ""
    name: str = ""
    funding_source: str = ""
    province_id: int | None = None  # None: every province
    legal_basis: str = ""
    confirmed: bool = True
    beneficiary_kinds: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    content_areas: frozenset[str] = frozenset()
    cleaner_production_areas: frozenset[str] = frozenset()  # no kind or location limit
    locations: tuple[LocationRule, ...] = ()
    conditions: tuple[ConditionRule, ...] = ()
    beneficiary_citation: str = ""
    location_citation: str = ""
    industry_citation: str = ""
    content_citation: str = ""
    cleaner_production_citation: str = ""
    counterpart_citation: str = ""
    allowed_kind_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class SupportLevel(Dated):
    content_area: str = ""
    funding_source: str = ""
    province_id: int | None = None
    percent: int | None = None  # of the total investment
    cap: int | None = None  # VND per unit
    unit: str = "establishment"
    legal_basis: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Uplift(Dated):
    condition: str = "priority"  # UPLIFT_CONDITIONS
    multiplier: Decimal = Decimal(1)
    funding_source: str = ""
    province_id: int | None = None
    content_area: str | None = None  # None: every content area
    legal_basis: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Exclusion(Dated):
    code: str = ""
    name: str = ""
    terms: tuple[str, ...] = ()  # phrases, matched accent-insensitively as whole words
    outcome: str = FAIL
    funding_source: str | None = None  # None: every source
    legal_basis: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class PriorityCriterion(Dated):
    code: str = ""  # PRIORITY_CODES
    group: str = "area"  # "area" | "industry"
    name: str = ""
    points: int = 0
    threshold: int | None = None  # % of local raw materials, number of workers
    legal_basis: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class Rules:
    """Every rule row, all dates and sources: ``screen`` picks what applies."""

    rule_sets: tuple[RuleSet, ...] = ()
    support_levels: tuple[SupportLevel, ...] = ()
    uplifts: tuple[Uplift, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    priority_criteria: tuple[PriorityCriterion, ...] = ()
    unit_labels: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class CheckResult:
    code: str
    outcome: str  # PASS | NEEDS_REVIEW | FAIL
    message_vi: str
    legal_basis: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == PASS


@dataclass(frozen=True)
class PriorityPart:
    code: str
    group: str
    name: str
    points: int
    met: bool
    legal_basis: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class PriorityScore:
    """Area first (the best area criterion met), then industry (the sum of those met)."""

    parts: tuple[PriorityPart, ...] = ()

    @property
    def area_points(self) -> int:
        return max((p.points for p in self.parts if p.met and p.group == "area"), default=0)

    @property
    def industry_points(self) -> int:
        return sum(p.points for p in self.parts if p.met and p.group == "industry")

    @property
    def total(self) -> int:
        return self.area_points + self.industry_points

    @property
    def is_priority(self) -> bool:
        return any(p.met for p in self.parts)

    @property
    def met_parts(self) -> tuple[PriorityPart, ...]:
        return tuple(p for p in self.parts if p.met)


def overall(results: Iterable[CheckResult]) -> str:
    """The screening's outcome: the most severe of its checks (pass when there are none)."""
    worst = PASS
    for result in results:
        if SEVERITY.get(result.outcome, SEVERITY[FAIL]) > SEVERITY[worst]:
            worst = result.outcome if result.outcome in SEVERITY else FAIL
    return worst


# --------------------------------------------------------------------------- helpers


def _money(amount: int) -> str:
    return format_vnd(amount, symbol="đồng")


def _softened(outcome: str, confirmed: bool) -> str:
    """A fail resting on an unconfirmed row is for a person to review."""
    return NEEDS_REVIEW if outcome == FAIL and not confirmed else outcome


def _unconfirmed_note(confirmed: bool) -> str:
    if confirmed:
        return ""
    return " " + _(
        "(This rule is marked unconfirmed: check it against the legal text before deciding.)"
    )


def _result(
    code: str, outcome: str, message: str, basis: str, confirmed: bool = True
) -> CheckResult:
    outcome = outcome if outcome in SEVERITY else FAIL
    final = _softened(outcome, confirmed)
    note = _unconfirmed_note(confirmed) if outcome != PASS else ""
    if final == FAIL and not basis.strip():
        # nobody is refused on a rule that cites no legal basis: a person reviews it
        final = NEEDS_REVIEW
        note += " " + _("(This rule cites no legal basis: an administrator must add it.)")
    return CheckResult(code=code, outcome=final, message_vi=f"{message}{note}", legal_basis=basis)


def _province_rank(row_province: int | None, province_ids: frozenset[int]) -> int | None:
    """0 for a row of the registration's province, 1 for a general row, None if another's."""
    if row_province is None:
        return 1
    return 0 if row_province in province_ids else None


def _pick(rows: Iterable, facts: RegistrationFacts, day: datetime.date, **match: object):
    """The row that applies on ``day``: own province first, then the latest ``valid_from``."""
    best = None
    best_key = None
    for row in rows:
        if not row.valid_on(day):
            continue
        if any(getattr(row, name) != value for name, value in match.items()):
            continue
        rank = _province_rank(getattr(row, "province_id", None), facts.province_ids)
        if rank is None:
            continue
        key = (rank, -(row.valid_from or datetime.date.min).toordinal())
        if best_key is None or key < best_key:
            best, best_key = row, key
    return best


def choose_rule_set(rules: Rules, facts: RegistrationFacts) -> RuleSet | None:
    return _pick(rules.rule_sets, facts, facts.registered_on, funding_source=facts.funding_source)


def choose_support_level(rules: Rules, facts: RegistrationFacts) -> SupportLevel | None:
    return _pick(
        rules.support_levels,
        facts,
        facts.registered_on,
        funding_source=facts.funding_source,
        content_area=facts.content_area,
    )


# --------------------------------------------------------------------------- validation

MONEY_FIELDS = (
    "total_investment",
    "requested_national",
    "requested_local",
    "requested_other",
    "counterpart",
)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def money_problems(
    *,
    total_investment: object,
    requested_national: object = 0,
    requested_local: object = 0,
    requested_other: object = 0,
    counterpart: object = 0,
) -> list[Problem]:
    """Money rules of a registration: whole non-negative đồng; the counterpart and the
    support asked fit in the total investment (also used by the form, field by field)."""
    values = {
        "total_investment": total_investment,
        "requested_national": requested_national,
        "requested_local": requested_local,
        "requested_other": requested_other,
        "counterpart": counterpart,
    }
    problems: list[Problem] = []
    for name, value in values.items():
        if not _is_int(value):
            problems.append(Problem(name, _("Amounts are whole numbers of đồng.")))
        elif value < 0:
            problems.append(Problem(name, _("An amount of money cannot be negative.")))
    if problems:
        return problems
    amounts = cast(dict[str, int], values)  # each one passed _is_int above
    total, counterpart = amounts["total_investment"], amounts["counterpart"]
    asked = amounts["requested_national"] + amounts["requested_local"] + amounts["requested_other"]
    if counterpart > total:
        problems.append(
            Problem(
                "counterpart",
                _(
                    "The counterpart funds (%(counterpart)s) are larger than the total "
                    "investment (%(total)s)."
                )
                % {"counterpart": _money(counterpart), "total": _money(total)},
            )
        )
    elif asked > total:
        problems.append(
            Problem(
                "total_investment",
                _(
                    "The support requested (%(support)s) is larger than the total "
                    "investment (%(total)s)."
                )
                % {"support": _money(asked), "total": _money(total)},
            )
        )
    elif asked + counterpart > total:
        problems.append(
            Problem(
                "counterpart",
                _(
                    "The support requested and the counterpart funds together (%(sum)s) "
                    "exceed the total investment (%(total)s)."
                )
                % {"sum": _money(asked + counterpart), "total": _money(total)},
            )
        )
    return problems


def validate_facts(facts: RegistrationFacts) -> list[Problem]:
    """Bad input, field by field: money, dates against the year, percentages, counts."""
    problems = money_problems(**{name: getattr(facts, name) for name in MONEY_FIELDS})
    year = facts.target_year
    if not _is_int(year) or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        problems.append(
            Problem(
                "target_year",
                _("The plan year must be between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            )
        )
    else:
        day = facts.registered_on
        if not isinstance(day, datetime.date) or not year - 1 <= day.year <= year:
            problems.append(
                Problem(
                    "registered_on",
                    _(
                        "The registration date must fall in %(previous)s or %(year)s: a "
                        "registration is made in the year before the plan year, or early in "
                        "it."
                    )
                    % {"previous": year - 1, "year": year},
                )
            )
        for name in ("planned_start", "planned_end"):
            value = getattr(facts, name)
            if value is not None and (not isinstance(value, datetime.date) or value.year != year):
                problems.append(
                    Problem(
                        name,
                        _("The planned dates must fall within the plan year %(year)s.")
                        % {"year": year},
                    )
                )
        start, end = facts.planned_start, facts.planned_end
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            problems.append(Problem("planned_end", _("The end date is before the start date.")))
    if facts.funding_source not in FUNDING_SOURCES:
        problems.append(Problem("funding_source", _("Choose a known funding source.")))
    if not facts.content_area:
        problems.append(Problem("content_area", _("Choose the content area.")))
    percent = facts.local_raw_material_percent
    if not _is_int(percent) or not 0 <= percent <= 100:
        problems.append(
            Problem(
                "local_raw_material_percent",
                _("The share of local raw materials is a percentage between 0 and 100."),
            )
        )
    if not _is_int(facts.workforce) or facts.workforce < 0:
        problems.append(Problem("workforce", _("The workforce is a number of people, 0 or more.")))
    count = facts.fairs_abroad_count
    if count is not None and (not _is_int(count) or count < 0):
        problems.append(
            Problem("fairs_abroad_count", _("The number of fairs abroad is 0 or more."))
        )
    unknown = set(facts.areas) - set(AREA_FLAGS)
    if unknown:
        problems.append(Problem("areas", _("Unknown priority area.")))
    return problems


# --------------------------------------------------------------------------- the checks


def _beneficiary_check(facts: RegistrationFacts, rule_set: RuleSet) -> CheckResult:
    code = "beneficiary_kind"
    basis = rule_set.beneficiary_citation or rule_set.legal_basis
    if facts.content_area in rule_set.cleaner_production_areas:
        return _result(
            code,
            PASS,
            _("Cleaner-production support has no limit on the kind or size of the establishment."),
            rule_set.cleaner_production_citation or basis,
        )
    label = facts.beneficiary_kind_label or facts.beneficiary_kind or ""
    if not facts.beneficiary_kind:
        return _result(
            code,
            NEEDS_REVIEW,
            _("The kind of the beneficiary is not known: record it in the beneficiary registry."),
            basis,
        )
    if facts.beneficiary_kind in rule_set.beneficiary_kinds:
        return _result(
            code, PASS, _("“%(kind)s” is an eligible kind of beneficiary.") % {"kind": label}, basis
        )
    allowed = ", ".join(rule_set.allowed_kind_labels) or "—"
    return _result(
        code,
        FAIL,
        _("“%(kind)s” is not an eligible kind of beneficiary; eligible are: %(allowed)s.")
        % {"kind": label, "allowed": allowed},
        basis,
        rule_set.confirmed,
    )


def _location_check(facts: RegistrationFacts, rule_set: RuleSet) -> CheckResult:
    code = "location"
    basis = rule_set.location_citation or rule_set.legal_basis
    place = facts.place_label or facts.place_unit_type
    if facts.content_area in rule_set.cleaner_production_areas:
        return _result(
            code,
            PASS,
            _("Cleaner-production support has no limit on the location of the establishment."),
            rule_set.cleaner_production_citation or basis,
        )
    if not facts.place_unit_type:
        return _result(code, NEEDS_REVIEW, _("The place of the project is not given."), basis)
    matches = [
        row
        for row in rule_set.locations
        if row.unit_type == facts.place_unit_type
        and row.parent_unit_type in ("", facts.place_parent_type)
    ]
    # a row naming the parent's type is more specific than one for any parent
    matches.sort(key=lambda row: row.parent_unit_type == "")
    if matches:
        row = matches[0]
        message = _("%(place)s: %(explanation)s") % {
            "place": place,
            "explanation": row.explanation,
        }
        return _result(code, row.outcome, message, row.legal_basis or basis, row.confirmed)
    return _result(
        code,
        FAIL,
        _("%(place)s (%(type)s) is not in an area where establishments are supported.")
        % {"place": place, "type": facts.place_unit_type},
        basis,
        rule_set.confirmed,
    )


def _industry_check(facts: RegistrationFacts, rule_set: RuleSet) -> CheckResult:
    code = "industry"
    basis = rule_set.industry_citation or rule_set.legal_basis
    label = facts.industry_label or facts.industry or ""
    if not facts.industry:
        return _result(
            code,
            NEEDS_REVIEW,
            _("The industry group is not given: choose the eligible industry of the product."),
            basis,
        )
    if facts.industry in rule_set.industries:
        return _result(
            code, PASS, _("“%(industry)s” is an eligible industry.") % {"industry": label}, basis
        )
    return _result(
        code,
        FAIL,
        _("“%(industry)s” is not an eligible industry under this rule set.") % {"industry": label},
        basis,
        rule_set.confirmed,
    )


def _content_check(facts: RegistrationFacts, rule_set: RuleSet) -> CheckResult:
    code = "content_area"
    basis = rule_set.content_citation or rule_set.legal_basis
    label = facts.content_area_label or facts.content_area
    if facts.content_area in rule_set.content_areas:
        return _result(
            code,
            PASS,
            _("“%(area)s” is a content an establishment may register for.") % {"area": label},
            basis,
        )
    return _result(
        code,
        FAIL,
        _("“%(area)s” is not a content an establishment may register for under this rule set.")
        % {"area": label},
        basis,
        rule_set.confirmed,
    )


def _condition_applies(row: ConditionRule, facts: RegistrationFacts) -> bool:
    if row.content_area is None and row.industry is None:
        return False
    area_ok = row.content_area is None or row.content_area == facts.content_area
    industry_ok = row.industry is None or row.industry == facts.industry
    return area_ok and industry_ok


def _condition_check(row: ConditionRule, facts: RegistrationFacts) -> CheckResult:
    """One condition: met (pass), unmet (the row's outcome), or not stated (needs review)."""
    kind = row.condition
    unmet = row.outcome_if_unmet
    basis = row.legal_basis
    if kind == "machinery_new":
        value = facts.machinery_new
        if value is None:
            message = _("State whether the machinery is new: only new equipment is supported.")
            return _result(kind, NEEDS_REVIEW, message, basis)
        if value:
            return _result(kind, PASS, _("The machinery and equipment are new."), basis)
        message = _("The machinery is not new: only new machinery and equipment are supported.")
        return _result(kind, unmet, message, basis, row.confirmed)
    if kind == "technology_new_in_district":
        value = facts.technology_new_in_district
        if value is None:
            message = _(
                "State whether the technology or product already exists in the district: a "
                "demonstration model shows one that does not."
            )
            return _result(kind, NEEDS_REVIEW, message, basis)
        if value:
            message = _("The technology or product does not exist in the district yet.")
            return _result(kind, PASS, message, basis)
        message = _(
            "The technology or product already exists in the district: a demonstration model "
            "must show a technology or product not yet present there."
        )
        return _result(kind, unmet, message, basis, row.confirmed)
    if kind == "fairs_abroad_limit":
        limit = row.parameter if row.parameter is not None else 0
        count = facts.fairs_abroad_count
        if count is None:  # not a fair abroad: the yearly limit does not apply
            message = _("Not a fair abroad: the limit on fairs abroad does not apply.")
            return _result(kind, PASS, message, basis)
        if count + 1 <= limit:
            message = _("This is fair abroad no. %(number)s this year (at most %(limit)s).") % {
                "number": count + 1,
                "limit": limit,
            }
            return _result(kind, PASS, message, basis)
        message = _(
            "The establishment already had %(count)s fairs abroad supported this year; at most "
            "%(limit)s a year are supported."
        ) % {"count": count, "limit": limit}
        return _result(kind, unmet, message, basis, row.confirmed)
    if kind == "pollution_assessment":
        value = facts.pollution_assessment
        if value is None:
            message = _("State whether the establishment's pollution has been assessed.")
            return _result(kind, NEEDS_REVIEW, message, basis)
        if value:
            return _result(kind, PASS, _("The establishment's pollution has been assessed."), basis)
        message = _(
            "Relocation support needs an assessment of the establishment's pollution, which is "
            "missing."
        )
        return _result(kind, unmet, message, basis, row.confirmed)
    if kind == "difficult_area":
        if "difficult" in facts.areas:
            message = _("The place is an area with difficult socio-economic conditions.")
            return _result(kind, PASS, message, basis)
        message = _(
            "This support is given only in areas with difficult or especially difficult "
            "socio-economic conditions, and the place is not marked as one."
        )
        return _result(kind, unmet, message, basis, row.confirmed)
    return _result(
        kind or "condition",
        NEEDS_REVIEW,
        _("Unknown condition “%(code)s” in the rule set: an administrator must correct it.")
        % {"code": kind},
        basis,
    )


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(normalize(text)))


def _exclusion_checks(facts: RegistrationFacts, rules: Rules) -> list[CheckResult]:
    day = facts.registered_on
    rows = [
        row
        for row in rules.exclusions
        if row.valid_on(day) and row.funding_source in (None, facts.funding_source)
    ]
    if not rows:
        return []
    text = f" {_words(f'{facts.title} {facts.product}')} "
    results = []
    for row in rows:
        matched = next(
            (term for term in row.terms if _words(term) and f" {_words(term)} " in text), None
        )
        if matched is None:
            continue
        message = _("The registration names “%(term)s”: %(name)s is excluded from support.") % {
            "term": matched,
            "name": row.name,
        }
        if row.outcome == NEEDS_REVIEW:
            message = _(
                "The registration names “%(term)s”: check it against the exclusion “%(name)s”."
            ) % {"term": matched, "name": row.name}
        results.append(
            _result("excluded_product", row.outcome, message, row.legal_basis, row.confirmed)
        )
    if any(result.outcome == FAIL for result in results):
        # a product excluded outright: the weaker "check it" matches add nothing
        results = [result for result in results if result.outcome == FAIL]
    if not results:
        results.append(
            _result(
                "excluded_product",
                PASS,
                _("The registration names no product excluded from support."),
                rows[0].legal_basis,
            )
        )
    return results


def _multiplier(facts: RegistrationFacts, rules: Rules, priority: PriorityScore) -> Uplift | None:
    """The largest uplift that applies (uplifts do not stack)."""
    best = None
    for condition, applies in (
        ("priority", priority.is_priority),
        ("production_line", facts.production_line),
    ):
        if not applies:
            continue
        rows = [
            row
            for row in rules.uplifts
            if row.condition == condition and row.content_area in (None, facts.content_area)
        ]
        row = _pick(rows, facts, facts.registered_on, funding_source=facts.funding_source)
        if row is not None and (best is None or row.multiplier > best.multiplier):
            best = row
    return best


def _times(amount: int, multiplier: Decimal) -> int:
    try:
        value = (Decimal(amount) * Decimal(multiplier)).to_integral_value(rounding=ROUND_FLOOR)
    except (InvalidOperation, TypeError):
        return amount
    return max(int(value), 0)


def support_limit(
    level: SupportLevel, total_investment: int, uplift: Uplift | None = None
) -> int | None:
    """min(percent × total investment, cap × uplift) in VND (None: no limit recorded)."""
    limits = []
    if level.percent is not None:
        limits.append(percent_of(max(total_investment, 0), max(min(level.percent, 100), 0)))
    if level.cap is not None:
        multiplier = uplift.multiplier if uplift is not None and uplift.multiplier > 1 else 1
        limits.append(_times(max(level.cap, 0), Decimal(multiplier)))
    return min(limits) if limits else None


def support_limit_for(facts: RegistrationFacts, rules: Rules) -> int | None:
    """The most a registration may receive from its source (None: no level recorded)."""
    level = choose_support_level(rules, facts)
    if level is None:
        return None
    uplift = _multiplier(facts, rules, priority_score(facts, rules))
    return support_limit(level, facts.total_investment, uplift)


def _support_checks(
    facts: RegistrationFacts, rules: Rules, rule_set: RuleSet, priority: PriorityScore
) -> list[CheckResult]:
    source = facts.funding_source_label or facts.funding_source
    requested = facts.requested
    area = facts.content_area_label or facts.content_area
    if requested <= 0:
        return [
            _result(
                "support_requested",
                FAIL,
                _("No support is requested from the fund being screened (%(source)s).")
                % {"source": source},
                rule_set.legal_basis,
            )
        ]
    level = choose_support_level(rules, facts)
    if level is None:
        return [
            _result(
                "support_level",
                NEEDS_REVIEW,
                _(
                    "No support level is recorded for “%(area)s” from %(source)s on %(date)s: "
                    "the appraisal must set the amount."
                )
                % {"area": area, "source": source, "date": day_text(facts.registered_on)},
                rule_set.legal_basis,
            )
        ]
    if level.unit not in UNITS:
        return [
            _result(
                "support_level",
                NEEDS_REVIEW,
                _(
                    "The support level row for “%(area)s” has an unknown unit (“%(unit)s”): an "
                    "administrator must correct it."
                )
                % {"area": area, "unit": level.unit},
                level.legal_basis,
            )
        ]
    uplift = _multiplier(facts, rules, priority)
    limit = support_limit(level, facts.total_investment, uplift)
    unit = rules.unit_labels.get(level.unit, level.unit)
    parts = []
    if level.percent is not None:
        parts.append(
            _("%(percent)s%% of the total investment %(total)s = %(amount)s")
            % {
                "percent": level.percent,
                "total": _money(facts.total_investment),
                "amount": _money(percent_of(max(facts.total_investment, 0), level.percent)),
            }
        )
    if level.cap is not None:
        cap_text = _("cap %(cap)s per %(unit)s") % {"cap": _money(level.cap), "unit": unit}
        if uplift is not None and uplift.multiplier > 1:
            cap_text += " " + _("× %(multiplier)s (%(reason)s) = %(amount)s") % {
                "multiplier": _decimal_text(uplift.multiplier),
                "reason": _uplift_reason(uplift),
                "amount": _money(_times(level.cap, uplift.multiplier)),
            }
        parts.append(cap_text)
    limit_text = "; ".join(parts)
    basis = level.legal_basis
    if uplift is not None and uplift.multiplier > 1 and uplift.legal_basis:
        basis = f"{basis}; {uplift.legal_basis}" if basis else uplift.legal_basis
    if limit is None or requested <= limit:
        message = _("Support requested %(requested)s is within the limit (%(limit)s).") % {
            "requested": _money(requested),
            "limit": limit_text or "—",
        }
        base = support_limit(level, facts.total_investment)
        if base is not None and requested > base and uplift is not None and not uplift.confirmed:
            # within the limit only thanks to an uplift row nobody has confirmed yet
            message += " " + _(
                "Without the uplift the limit is %(base)s: the uplift is marked unconfirmed, "
                "check it against the legal text before deciding."
            ) % {"base": _money(base)}
            return [_result("support_level", NEEDS_REVIEW, message, basis)]
        if not level.confirmed:
            message += _unconfirmed_note(False)
        return [_result("support_level", PASS, message, basis)]
    message = _("Support requested %(requested)s is above the limit %(maximum)s (%(limit)s).") % {
        "requested": _money(requested),
        "maximum": _money(limit),
        "limit": limit_text,
    }
    return [_result("support_level", FAIL, message, basis, level.confirmed)]


def _decimal_text(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _uplift_reason(uplift: Uplift) -> str:
    if uplift.condition == "production_line":
        return _("production line")
    return _("priority project")


def _counterpart_check(facts: RegistrationFacts, rule_set: RuleSet) -> CheckResult:
    basis = rule_set.counterpart_citation or rule_set.legal_basis
    covered = facts.requested_total + facts.counterpart
    if covered < facts.total_investment:
        message = _(
            "Counterpart funds (%(counterpart)s) and the support requested (%(support)s) do not "
            "cover the total investment (%(total)s): the establishment must invest or commit "
            "the rest."
        ) % {
            "counterpart": _money(facts.counterpart),
            "support": _money(facts.requested_total),
            "total": _money(facts.total_investment),
        }
        return _result("counterpart", FAIL, message, basis, rule_set.confirmed)
    message = _("The establishment commits %(counterpart)s of counterpart funds.") % {
        "counterpart": _money(facts.counterpart)
    }
    return _result("counterpart", PASS, message, basis)


def _double_funding_check(facts: RegistrationFacts, rule_set: RuleSet) -> list[CheckResult]:
    asked = [source for source in STATE_SOURCES if facts.requested_from(source) > 0]
    if len(asked) < 2:
        return []
    message = _(
        "Support is asked from both the national and the local fund: the establishment must "
        "commit that no other state budget pays for the same expense."
    )
    basis = rule_set.counterpart_citation or rule_set.legal_basis
    return [_result("double_funding", NEEDS_REVIEW, message, basis)]


# --------------------------------------------------------------------------- entry points


def priority_score(facts: RegistrationFacts, rules: Rules) -> PriorityScore:
    """The area and industry priorities met (legal notes §1.5), with their points (data)."""
    day = facts.registered_on
    parts = []
    for row in rules.priority_criteria:
        if not isinstance(day, datetime.date) or not row.valid_on(day):
            continue
        parts.append(
            PriorityPart(
                code=row.code,
                group=row.group,
                name=row.name,
                points=max(row.points, 0),
                met=_criterion_met(row, facts),
                legal_basis=row.legal_basis,
                confirmed=row.confirmed,
            )
        )
    return PriorityScore(parts=tuple(parts))


def _criterion_met(row: PriorityCriterion, facts: RegistrationFacts) -> bool:
    code = row.code
    if code.startswith("area_"):
        return code.removeprefix("area_") in facts.areas
    if code == "export_contract":
        return bool(facts.export_contract)
    if code == "local_raw_materials":
        threshold = row.threshold if row.threshold is not None else 50
        return _is_int(facts.local_raw_material_percent) and (
            facts.local_raw_material_percent > threshold
        )
    if code == "labour_intensive":
        threshold = row.threshold if row.threshold is not None else 50
        return _is_int(facts.workforce) and facts.workforce >= threshold
    if code == "supporting_industry":
        return bool(facts.supporting_industry_product)
    if code == "certified_product":
        return bool(facts.certificate_on_record or facts.certified_product)
    return False


def screen(facts: RegistrationFacts, rules: Rules) -> list[CheckResult]:
    """Every check, in the order a person reads them; messages in Vietnamese."""
    with translation.override("vi"):
        return _screen(facts, rules)


def _screen(facts: RegistrationFacts, rules: Rules) -> list[CheckResult]:
    problems = validate_facts(facts)
    if problems:
        return [
            CheckResult(
                code="input",
                outcome=FAIL,
                message_vi=" ".join(dict.fromkeys(problem.message for problem in problems)),
                legal_basis="",
            )
        ]
    rule_set = choose_rule_set(rules, facts)
    source = facts.funding_source_label or facts.funding_source
    if rule_set is None:
        return [
            CheckResult(
                code="rule_set",
                outcome=NEEDS_REVIEW,
                message_vi=_(
                    "No eligibility rule set for %(source)s on %(date)s: an administrator must "
                    "enter one before screening."
                )
                % {"source": source, "date": day_text(facts.registered_on)},
            )
        ]
    priority = priority_score(facts, rules)
    results = [
        _result(
            "rule_set",
            PASS,
            _("Screened under “%(name)s” (rules in force on %(date)s).")
            % {"name": rule_set.name, "date": day_text(facts.registered_on)},
            rule_set.legal_basis,
        ),
        _beneficiary_check(facts, rule_set),
        _location_check(facts, rule_set),
        _industry_check(facts, rule_set),
        _content_check(facts, rule_set),
    ]
    results += [
        _condition_check(row, facts)
        for row in rule_set.conditions
        if _condition_applies(row, facts)
    ]
    results += _exclusion_checks(facts, rules)
    results += _support_checks(facts, rules, rule_set, priority)
    results.append(_counterpart_check(facts, rule_set))
    results += _double_funding_check(facts, rule_set)
    return results


def failures(results: Sequence[CheckResult]) -> list[CheckResult]:
    return [result for result in results if result.outcome == FAIL]
