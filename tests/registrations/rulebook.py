"""Hand-made rule rows for the pure eligibility tests (no database): two dated rule sets per
source like the shipped ones, support levels before and after a change of circular, uplifts,
exclusions and priority criteria. Numbers are chosen for the tests, not read from the law."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from khuyencong.registrations import eligibility as e

D = datetime.date
M = 1_000_000
OLD_UNTIL = D(2025, 10, 14)
NEW_FROM = D(2025, 10, 15)
LEVEL_CHANGE = D(2018, 5, 12)
PROVINCE = 6
OTHER_PROVINCE = 1

KINDS = frozenset({"sme", "cooperative", "cooperative_group", "household"})
INDUSTRIES = frozenset({"art5_a", "art5_b", "art5_c", "art5_d", "art5_dd", "art5_e", "art5_g"})
CONTENTS = frozenset(
    {
        "machinery",
        "demo_model",
        "trade_fair",
        "relocation_support",
        "startup_support",
        "brand",
        "sxsh_pilot",
    }
)
LOCATIONS = (
    e.LocationRule("Xã", "", e.PASS, "xã được hỗ trợ.", "Điều 1 khoản 2 điểm a"),
    e.LocationRule("Thị trấn", "", e.PASS, "thị trấn được hỗ trợ.", "Điều 1 khoản 2 điểm a"),
    e.LocationRule("Phường", "Thị xã", e.PASS, "phường thuộc thị xã.", "Điều 1 khoản 2 điểm a"),
    e.LocationRule(
        "Phường", "Thành phố", e.NEEDS_REVIEW, "đối chiếu loại đô thị.", "Điều 3 TT 46/2012"
    ),
)


def conditions(*, demo_outcome: str = e.FAIL) -> tuple[e.ConditionRule, ...]:
    return (
        e.ConditionRule("machinery_new", "machinery", None, e.FAIL, "Điều 4 TT 46/2012"),
        e.ConditionRule(
            "technology_new_in_district", "demo_model", None, demo_outcome, "Điều 4 TT 46/2012"
        ),
        e.ConditionRule("fairs_abroad_limit", "trade_fair", None, e.FAIL, "Điều 4", parameter=2),
        e.ConditionRule("pollution_assessment", "relocation_support", None, e.FAIL, "Điều 4"),
        e.ConditionRule("difficult_area", None, "art5_e", e.FAIL, "Điều 5 điểm e NĐ 45/2012"),
    )


def rule_set(code: str, source: str, **overrides: Any) -> e.RuleSet:
    new = code.startswith("new")
    values: dict[str, Any] = {
        "code": code,
        "name": f"Bộ quy tắc {code}",
        "funding_source": source,
        "valid_from": NEW_FROM if new else D(2012, 7, 5),
        "valid_to": None if new else OLD_UNTIL,
        "legal_basis": "Nghị định 235/2025/NĐ-CP" if new else "Nghị định 45/2012/NĐ-CP",
        "confirmed": not new,
        "beneficiary_kinds": KINDS | ({"cooperative_union"} if new else set()),
        "industries": INDUSTRIES,
        "content_areas": CONTENTS | ({"digital_transformation"} if new else set()),
        "cleaner_production_areas": frozenset({"sxsh_pilot"}),
        "locations": LOCATIONS,
        "conditions": conditions(demo_outcome=e.NEEDS_REVIEW if source == "local" else e.FAIL),
        "beneficiary_citation": "Điều 1 khoản 2",
        "location_citation": "Điều 1 khoản 2 điểm a",
        "industry_citation": "Điều 5",
        "content_citation": "Điều 4",
        "cleaner_production_citation": "Điều 3 TT 46/2012",
        "counterpart_citation": "Điều 7 TTLT 26/2014",
        "allowed_kind_labels": ("DNNVV", "HTX", "THT", "HKD"),
    }
    values.update(overrides)
    return e.RuleSet(**values)


def level(
    area: str, source: str, percent: int | None, cap: int | None, **kw: Any
) -> e.SupportLevel:
    return e.SupportLevel(
        content_area=area,
        funding_source=source,
        percent=percent,
        cap=cap,
        unit=kw.pop("unit", "establishment"),
        legal_basis=kw.pop("legal_basis", "Điều 8 TT 28/2018"),
        **kw,
    )


RULES = e.Rules(
    rule_sets=(
        rule_set("old_national", "national"),
        rule_set("old_local", "local", confirmed=False),
        rule_set("new_national", "national"),
        rule_set("new_local", "local"),
    ),
    support_levels=(
        level(
            "machinery",
            "national",
            50,
            200 * M,
            valid_to=LEVEL_CHANGE - datetime.timedelta(1),
            legal_basis="Điều 6 TTLT 26/2014",
        ),
        level("machinery", "national", 50, 300 * M, valid_from=LEVEL_CHANGE, confirmed=False),
        level("demo_model", "national", 30, 1000 * M, valid_from=LEVEL_CHANGE, unit="model"),
        level("machinery", "local", 50, 300 * M, confirmed=False),
        level("brand", "local", 50, 35 * M, unit="brand"),
        level("startup_support", "national", None, 10 * M, unit="enterprise"),
    ),
    uplifts=(
        e.Uplift(
            condition="priority",
            multiplier=Decimal("1.5"),
            funding_source="national",
            legal_basis="Điều 6 khoản 2 điểm t TTLT 26/2014",
        ),
        e.Uplift(
            condition="production_line",
            multiplier=Decimal("1.5"),
            funding_source="national",
            content_area="machinery",
            legal_basis="Điều 8 khoản 4",
            confirmed=False,
        ),
    ),
    exclusions=(
        e.Exclusion(
            code="ring_kiln",
            name="gạch nung lò vòng",
            terms=("gạch nung lò vòng", "lò vòng"),
            outcome=e.FAIL,
            legal_basis="Điều 5 TT 46/2012",
        ),
        e.Exclusion(
            code="clay",
            name="gạch đất sét nung",
            terms=("gạch nung", "gạch đất sét nung"),
            outcome=e.NEEDS_REVIEW,
            legal_basis="Điều 5 TT 46/2012",
        ),
    ),
    priority_criteria=(
        e.PriorityCriterion(code="area_upland_border_ethnic", group="area", name="(a)", points=40),
        e.PriorityCriterion(code="area_poor_district", group="area", name="(b)", points=30),
        e.PriorityCriterion(code="area_new_rural", group="area", name="(c)", points=20),
        e.PriorityCriterion(code="area_difficult", group="area", name="(d)", points=10),
        e.PriorityCriterion(code="export_contract", group="industry", name="xuất khẩu", points=2),
        e.PriorityCriterion(
            code="local_raw_materials", group="industry", name="nguyên liệu", points=2, threshold=50
        ),
        e.PriorityCriterion(
            code="labour_intensive", group="industry", name="lao động", points=2, threshold=50
        ),
        e.PriorityCriterion(code="supporting_industry", group="industry", name="CNHT", points=2),
        e.PriorityCriterion(code="certified_product", group="industry", name="tiêu biểu", points=1),
    ),
    unit_labels={"establishment": "cơ sở", "model": "mô hình", "brand": "nhãn hiệu"},
)


def facts(**overrides: Any) -> e.RegistrationFacts:
    """National machinery, 2019 plan, registered in May 2018: passes everything."""
    values: dict[str, Any] = {
        "registered_on": D(2018, 5, 15),
        "target_year": 2019,
        "funding_source": "national",
        "content_area": "machinery",
        "beneficiary_kind": "cooperative",
        "industry": "art5_d",
        "province_ids": frozenset({PROVINCE}),
        "place_unit_type": "Xã",
        "place_parent_type": "Huyện",
        "place_label": "Xã Cường Lợi",
        "title": "Hỗ trợ máy móc gia công cơ khí",
        "product": "phụ tùng cơ khí",
        "total_investment": 500 * M,
        "requested_national": 250 * M,
        "counterpart": 250 * M,
        "machinery_new": True,
    }
    values.update(overrides)
    return e.RegistrationFacts(**values)


def with_rules(**changes: Any) -> e.Rules:
    return dataclasses.replace(RULES, **changes)


def results_by_code(results: list[e.CheckResult]) -> dict[str, list[e.CheckResult]]:
    found: dict[str, list[e.CheckResult]] = {}
    for result in results:
        found.setdefault(result.code, []).append(result)
    return found
