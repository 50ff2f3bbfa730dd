"""Every eligibility rule, table-driven, on hand-made rule rows (the pure module, no database).

Each case: what the registration says, which check it concerns, the outcome expected and a
fragment its explanation must hold (messages are Vietnamese: the module screens in vi).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from khuyencong.registrations import eligibility as e

from .rulebook import (
    NEW_FROM,
    OLD_UNTIL,
    OTHER_PROVINCE,
    PROVINCE,
    RULES,
    facts,
    results_by_code,
    rule_set,
    with_rules,
)

D = datetime.date
M = 1_000_000
P, R, F = e.PASS, e.NEEDS_REVIEW, e.FAIL

# (id, facts overrides, check code, expected outcome, fragment of the explanation)
CASES = [
    # the rule set in force
    ("rule set before ND 235", {}, "rule_set", P, "old_national"),
    (
        "rule set from ND 235",
        {"registered_on": NEW_FROM, "target_year": 2026},
        "rule_set",
        P,
        "new_national",
    ),
    (
        "rule set the day before",
        {"registered_on": OLD_UNTIL, "target_year": 2026},
        "rule_set",
        P,
        "old_national",
    ),
    (
        "local fund rule set",
        {"funding_source": "local", "requested_national": 0, "requested_local": 250 * M},
        "rule_set",
        P,
        "old_local",
    ),
    # beneficiary kind
    ("cooperative", {}, "beneficiary_kind", P, "cooperative"),
    ("household business", {"beneficiary_kind": "household"}, "beneficiary_kind", P, "household"),
    ("other kind", {"beneficiary_kind": "other"}, "beneficiary_kind", F, "DNNVV, HTX, THT, HKD"),
    (
        "union of cooperatives before ND 235",
        {"beneficiary_kind": "cooperative_union"},
        "beneficiary_kind",
        F,
        "cooperative_union",
    ),
    (
        "union of cooperatives under ND 235 (unconfirmed set: review, not fail)",
        {"beneficiary_kind": "cooperative_union", "registered_on": NEW_FROM, "target_year": 2026},
        "beneficiary_kind",
        P,
        "cooperative_union",
    ),
    ("kind unknown", {"beneficiary_kind": None}, "beneficiary_kind", R, "đơn vị thụ hưởng"),
    (
        "cleaner production: any kind",
        {"beneficiary_kind": "other", "content_area": "sxsh_pilot"},
        "beneficiary_kind",
        P,
        "Điều 3 TT 46/2012",
    ),
    # location
    ("commune", {}, "location", P, "Xã Cường Lợi"),
    ("township", {"place_unit_type": "Thị trấn"}, "location", P, "thị trấn"),
    (
        "ward of a town",
        {"place_unit_type": "Phường", "place_parent_type": "Thị xã"},
        "location",
        P,
        "thị xã",
    ),
    (
        "ward of a city: check the urban grade",
        {"place_unit_type": "Phường", "place_parent_type": "Thành phố"},
        "location",
        R,
        "loại đô thị",
    ),
    (
        "ward of an urban district: no rule",
        {"place_unit_type": "Phường", "place_parent_type": "Quận"},
        "location",
        F,
        "Phường",
    ),
    ("no place", {"place_unit_type": ""}, "location", R, ""),
    (
        "cleaner production: any place",
        {"place_unit_type": "Phường", "place_parent_type": "Quận", "content_area": "sxsh_pilot"},
        "location",
        P,
        "",
    ),
    # industry
    ("eligible industry", {}, "industry", P, "art5_d"),
    ("industry missing", {"industry": None}, "industry", R, ""),
    ("industry outside Art. 5", {"industry": "nd235_high_tech"}, "industry", F, "nd235_high_tech"),
    # content area
    ("content open to registration", {}, "content_area", P, "machinery"),
    ("content not open", {"content_area": "information"}, "content_area", F, "information"),
    (
        "digital transformation before ND 235",
        {"content_area": "digital_transformation"},
        "content_area",
        F,
        "",
    ),
    # conditions
    ("machinery new", {}, "machinery_new", P, ""),
    ("machinery second-hand", {"machinery_new": False}, "machinery_new", F, "Điều 4"),
    ("machinery not stated", {"machinery_new": None}, "machinery_new", R, ""),
    (
        "demo model technology new",
        {
            "content_area": "demo_model",
            "technology_new_in_district": True,
            "requested_national": 150 * M,
        },
        "technology_new_in_district",
        P,
        "",
    ),
    (
        "demo model technology present (national: fail)",
        {
            "content_area": "demo_model",
            "technology_new_in_district": False,
            "requested_national": 150 * M,
        },
        "technology_new_in_district",
        F,
        "",
    ),
    (
        "demo model technology present (local: the province decides)",
        {
            "content_area": "demo_model",
            "technology_new_in_district": False,
            "funding_source": "local",
            "requested_national": 0,
            "requested_local": 150 * M,
        },
        "technology_new_in_district",
        R,
        "",
    ),
    (
        "first fair abroad",
        {"content_area": "trade_fair", "fairs_abroad_count": 0},
        "fairs_abroad_limit",
        P,
        "",
    ),
    (
        "second fair abroad",
        {"content_area": "trade_fair", "fairs_abroad_count": 1},
        "fairs_abroad_limit",
        P,
        "2",
    ),
    (
        "third fair abroad",
        {"content_area": "trade_fair", "fairs_abroad_count": 2},
        "fairs_abroad_limit",
        F,
        "2",
    ),
    (
        "domestic fair: no limit",
        {"content_area": "trade_fair", "fairs_abroad_count": None},
        "fairs_abroad_limit",
        P,
        "",
    ),
    (
        "relocation assessed",
        {"content_area": "relocation_support", "pollution_assessment": True},
        "pollution_assessment",
        P,
        "",
    ),
    (
        "relocation not assessed",
        {"content_area": "relocation_support", "pollution_assessment": False},
        "pollution_assessment",
        F,
        "",
    ),
    (
        "mining in a difficult area",
        {"industry": "art5_e", "areas": frozenset({"difficult"})},
        "difficult_area",
        P,
        "",
    ),
    ("mining elsewhere", {"industry": "art5_e"}, "difficult_area", F, "Điều 5 điểm e"),
    # excluded products
    ("no excluded product", {}, "excluded_product", P, ""),
    (
        "fired-clay brick in a ring kiln",
        {"product": "Gạch đất sét nung bằng lò vòng"},
        "excluded_product",
        F,
        "lò vòng",
    ),
    (
        "fired-clay brick, kiln unknown",
        {"product": "gạch nung tuynel"},
        "excluded_product",
        R,
        "gạch nung",
    ),
    (
        "unfired brick is not fired-clay brick",
        {"product": "Gạch không nung silicat"},
        "excluded_product",
        P,
        "",
    ),
    ("accents and case do not matter", {"title": "GACH NUNG LO VONG"}, "excluded_product", F, ""),
    # support
    ("within 50 % and the cap", {}, "support_level", P, "250.000.000"),
    (
        "above 50 % of the cost (confirmed row: fail)",
        {
            "registered_on": D(2018, 5, 1),
            "total_investment": 300 * M,
            "requested_national": 160 * M,
            "counterpart": 140 * M,
        },
        "support_level",
        F,
        "150.000.000",
    ),
    (
        "above the cap of the old circular (confirmed: fail)",
        {"registered_on": D(2018, 5, 1), "requested_national": 250 * M},
        "support_level",
        F,
        "200.000.000",
    ),
    (
        "above the cap of the new circular (unconfirmed: review)",
        {"total_investment": 800 * M, "requested_national": 350 * M, "counterpart": 450 * M},
        "support_level",
        R,
        "300.000.000",
    ),
    (
        "priority uplift lifts the cap (confirmed uplift)",
        {
            "registered_on": D(2018, 5, 1),
            "total_investment": 800 * M,
            "requested_national": 290 * M,
            "counterpart": 510 * M,
            "areas": frozenset({"upland_border_ethnic"}),
        },
        "support_level",
        P,
        "1,5",
    ),
    (
        "production line uplift unconfirmed: review",
        {
            "total_investment": 900 * M,
            "requested_national": 400 * M,
            "counterpart": 500 * M,
            "production_line": True,
        },
        "support_level",
        R,
        "300.000.000",
    ),
    (
        "cap only (start-up support)",
        {
            "content_area": "startup_support",
            "requested_national": 12 * M,
            "total_investment": 20 * M,
            "counterpart": 8 * M,
        },
        "support_level",
        F,
        "10.000.000",
    ),
    (
        "no support level for the content",
        {"content_area": "trade_fair", "fairs_abroad_count": 0},
        "support_level",
        R,
        "",
    ),
    (
        "nothing asked from the fund",
        {"requested_national": 0, "requested_local": 100 * M, "counterpart": 400 * M},
        "support_requested",
        F,
        "",
    ),
    # counterpart and double funding
    ("counterpart covers the rest", {}, "counterpart", P, "250.000.000"),
    ("counterpart short", {"counterpart": 100 * M}, "counterpart", F, "Điều 7 TTLT 26/2014"),
    (
        "both state funds asked",
        {"requested_national": 200 * M, "requested_local": 50 * M},
        "double_funding",
        R,
        "",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "code", "outcome", "fragment"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule(overrides, code, outcome, fragment):
    results = e.screen(facts(**overrides), RULES)
    found = results_by_code(results)
    assert code in found, [r.code for r in results]
    result = found[code][0]
    assert result.outcome == outcome, result
    assert fragment in result.message_vi or fragment in result.legal_basis, result
    if outcome != P:
        assert result.message_vi.strip()


def test_a_clean_registration_passes_every_check():
    results = e.screen(facts(), RULES)
    assert e.overall(results) == P
    assert all(r.outcome == P for r in results)
    assert all(r.legal_basis for r in results)
    assert [r.code for r in results][:5] == [
        "rule_set",
        "beneficiary_kind",
        "location",
        "industry",
        "content_area",
    ]


def test_explanations_are_vietnamese():
    result = results_by_code(e.screen(facts(machinery_new=False), RULES))["machinery_new"][0]
    assert "máy móc" in result.message_vi


def test_a_province_rule_set_wins_over_the_general_one():
    own = rule_set("old_national_bk", "national", province_id=PROVINCE, name="Bộ quy tắc riêng")
    other = rule_set("old_national_hn", "national", province_id=OTHER_PROVINCE)
    rules = with_rules(rule_sets=(*RULES.rule_sets, own, other))
    assert e.choose_rule_set(rules, facts()).code == "old_national_bk"
    elsewhere = facts(province_ids=frozenset({99}))
    assert e.choose_rule_set(rules, elsewhere).code == "old_national"


def test_no_rule_set_means_review_not_pass():
    results = e.screen(facts(registered_on=D(2011, 1, 1), target_year=2012), RULES)
    assert [(r.code, r.outcome) for r in results] == [("rule_set", R)]
    assert "2011" in results[0].message_vi


def test_support_levels_follow_the_registration_date():
    before = e.choose_support_level(RULES, facts(registered_on=D(2018, 5, 11)))
    after = e.choose_support_level(RULES, facts(registered_on=D(2018, 5, 12)))
    assert (before.cap, after.cap) == (200 * M, 300 * M)


def test_an_unknown_unit_in_a_support_row_is_reported_not_crashed():
    broken = e.SupportLevel(
        content_area="machinery", funding_source="national", percent=50, cap=300 * M, unit="hectare"
    )
    rules = with_rules(support_levels=(broken,))
    result = results_by_code(e.screen(facts(), rules))["support_level"][0]
    assert result.outcome == R and "hectare" in result.message_vi


def test_an_unknown_condition_code_is_reported():
    odd = e.ConditionRule("moon_phase", "machinery", None, F, "—")
    rules = with_rules(rule_sets=(rule_set("old_national", "national", conditions=(odd,)),))
    result = results_by_code(e.screen(facts(), rules))["moon_phase"][0]
    assert result.outcome == R and "moon_phase" in result.message_vi


def test_a_fail_on_an_unconfirmed_row_becomes_review_with_a_note():
    results = results_by_code(
        e.screen(
            facts(
                beneficiary_kind="other",
                funding_source="local",
                requested_national=0,
                requested_local=200 * M,
            ),
            RULES,
        )
    )
    result = results["beneficiary_kind"][0]
    assert result.outcome == R
    assert "chưa xác nhận" in result.message_vi


def test_excluded_kiln_hides_the_weaker_clay_match():
    found = results_by_code(e.screen(facts(product="gạch nung lò vòng"), RULES))
    assert [r.outcome for r in found["excluded_product"]] == [F]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"requested_national": -1}, "requested_national"),
        ({"counterpart": 600 * M}, "counterpart"),
        ({"requested_national": 600 * M, "counterpart": 0}, "total_investment"),
        ({"requested_national": 300 * M}, "counterpart"),  # 300 + 250 > 500
        ({"registered_on": D(2017, 12, 31)}, "registered_on"),
        ({"registered_on": D(2020, 1, 1)}, "registered_on"),
        ({"planned_start": D(2018, 12, 1)}, "planned_start"),
        ({"planned_end": D(2020, 1, 1)}, "planned_end"),
        ({"planned_start": D(2019, 6, 1), "planned_end": D(2019, 5, 1)}, "planned_end"),
        ({"local_raw_material_percent": 101}, "local_raw_material_percent"),
        ({"workforce": -3}, "workforce"),
        ({"funding_source": "lottery"}, "funding_source"),
        ({"target_year": 1999}, "target_year"),
        ({"areas": frozenset({"moon"})}, "areas"),
    ],
)
def test_bad_input_is_one_failed_input_check(overrides, field):
    the_facts = facts(**overrides)
    problems = e.validate_facts(the_facts)
    assert field in [problem.field for problem in problems]
    results = e.screen(the_facts, RULES)
    assert [(r.code, r.outcome) for r in results] == [("input", F)]
    assert results[0].message_vi


def test_priority_score_ranks_area_first_then_industry():
    upland = e.priority_score(facts(areas=frozenset({"upland_border_ethnic", "difficult"})), RULES)
    assert (upland.area_points, upland.industry_points) == (40, 0)  # the best area counts
    industry = e.priority_score(
        facts(
            export_contract=True,
            local_raw_material_percent=51,
            workforce=50,
            supporting_industry_product=True,
            certified_product=True,
        ),
        RULES,
    )
    assert (industry.area_points, industry.industry_points) == (0, 9)
    weakest_area = e.priority_score(facts(areas=frozenset({"difficult"})), RULES)
    assert weakest_area.total > industry.total  # area (d) outranks every industry priority
    threshold = e.priority_score(facts(local_raw_material_percent=50, workforce=49), RULES)
    assert threshold.total == 0 and not threshold.is_priority
    assert [p.code for p in upland.met_parts] == ["area_upland_border_ethnic", "area_difficult"]


def test_support_limit_is_min_of_percent_and_uplifted_cap():
    machinery = e.SupportLevel(
        content_area="machinery", funding_source="national", percent=50, cap=300 * M
    )
    uplift = e.Uplift(multiplier=Decimal("1.5"))
    assert e.support_limit(machinery, 400 * M) == 200 * M
    assert e.support_limit(machinery, 2000 * M) == 300 * M
    assert e.support_limit(machinery, 2000 * M, uplift) == 450 * M
    cap_only = e.SupportLevel(content_area="x", funding_source="national", cap=10 * M)
    assert e.support_limit(cap_only, 0) == 10 * M
    assert e.support_limit(e.SupportLevel(content_area="x", funding_source="national"), 1) is None
