"""Properties of the screening, for any registration and any rule rows (hypothesis):

- no input makes it raise;
- every result that is not a pass carries an explanation, and every fail but the input check
  cites its legal basis;
- raising a cap or a percentage never makes any check stricter;
- a registration is eligible only if every check passes.
"""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.registrations import eligibility as e

from .rulebook import RULES, facts

M = 1_000_000
money = st.one_of(st.integers(min_value=-10 * M, max_value=3000 * M), st.sampled_from([0, 1]))
maybe_bool = st.sampled_from([None, True, False])
codes = st.sampled_from(
    [
        "machinery",
        "demo_model",
        "trade_fair",
        "relocation_support",
        "startup_support",
        "brand",
        "sxsh_pilot",
        "information",
        "digital_transformation",
        "",
    ]
)
text = st.text(
    alphabet=st.sampled_from(list("gạch nung lò vòng đất sét không GACH NUNG xyz-,.\n\t")),
    max_size=40,
)

facts_strategy = st.builds(
    e.RegistrationFacts,
    registered_on=st.dates(
        min_value=datetime.date(2005, 1, 1), max_value=datetime.date(2030, 12, 31)
    ),
    target_year=st.integers(min_value=1990, max_value=2110),
    funding_source=st.sampled_from(["national", "local", "other", "", "lottery"]),
    content_area=codes,
    beneficiary_kind=st.sampled_from([None, "sme", "cooperative", "household", "other", "x"]),
    industry=st.sampled_from([None, "art5_a", "art5_e", "art5_g", "nd235_green", "zz"]),
    province_ids=st.frozensets(st.integers(min_value=0, max_value=10), max_size=3),
    place_unit_type=st.sampled_from(["", "Xã", "Phường", "Thị trấn", "Đặc khu", "?"]),
    place_parent_type=st.sampled_from(["", "Huyện", "Thị xã", "Thành phố", "Quận", "Tỉnh"]),
    title=text,
    product=text,
    total_investment=money,
    requested_national=money,
    requested_local=money,
    requested_other=money,
    counterpart=money,
    workforce=st.integers(min_value=-5, max_value=500),
    local_raw_material_percent=st.integers(min_value=-5, max_value=150),
    export_contract=st.booleans(),
    supporting_industry_product=st.booleans(),
    certified_product=st.booleans(),
    areas=st.frozensets(st.sampled_from([*e.AREA_FLAGS, "moon"]), max_size=3),
    machinery_new=maybe_bool,
    technology_new_in_district=maybe_bool,
    production_line=st.booleans(),
    fairs_abroad_count=st.one_of(st.none(), st.integers(min_value=-1, max_value=5)),
    pollution_assessment=maybe_bool,
    planned_start=st.one_of(st.none(), st.dates(min_value=datetime.date(2010, 1, 1))),
    planned_end=st.one_of(st.none(), st.dates(min_value=datetime.date(2010, 1, 1))),
)

# Mostly valid registrations, so that the later checks run (not only the input check).
plausible = st.builds(
    lambda total, share, counterpart_share, area, new, product, priority, line, day: facts(
        total_investment=total,
        requested_national=total * share // 100,
        counterpart=(total - total * share // 100) * counterpart_share // 100,
        content_area=area,
        machinery_new=new,
        product=product,
        areas=priority,
        production_line=line,
        registered_on=day,
        target_year=day.year + 1,
        fairs_abroad_count=None,
    ),
    st.integers(min_value=1, max_value=3000 * M),
    st.integers(min_value=1, max_value=100),
    st.integers(min_value=0, max_value=100),
    codes.filter(bool),
    maybe_bool,
    text,
    st.frozensets(st.sampled_from(e.AREA_FLAGS), max_size=2),
    st.booleans(),
    st.dates(min_value=datetime.date(2013, 1, 1), max_value=datetime.date(2029, 6, 30)),
)

level_strategy = st.builds(
    e.SupportLevel,
    content_area=codes,
    funding_source=st.sampled_from(["national", "local"]),
    percent=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    cap=st.one_of(st.none(), st.integers(min_value=0, max_value=5000 * M)),
    unit=st.sampled_from([*e.UNITS, "hectare"]),
    legal_basis=st.sampled_from(["", "Điều 8"]),
    confirmed=st.booleans(),
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(facts_strategy)
def test_no_input_makes_screening_raise(registration):
    results = e.screen(registration, RULES)
    assert results
    assert e.overall(results) in e.OUTCOMES
    e.priority_score(registration, RULES)


@SETTINGS
@given(st.one_of(facts_strategy, plausible), st.lists(level_strategy, max_size=4))
def test_every_result_that_is_not_a_pass_explains_itself(registration, levels):
    rules = dataclasses.replace(RULES, support_levels=(*RULES.support_levels, *levels))
    for result in e.screen(registration, rules):
        assert result.outcome in e.OUTCOMES
        if result.outcome != e.PASS:
            assert result.message_vi.strip(), result
        if result.outcome == e.FAIL and result.code != "input":
            assert result.legal_basis.strip(), result


@SETTINGS
@given(
    plausible, st.integers(min_value=0, max_value=2000 * M), st.integers(min_value=0, max_value=100)
)
def test_raising_a_cap_or_a_percentage_never_makes_a_check_stricter(registration, raise_by, points):
    level = e.choose_support_level(RULES, registration)
    if level is None:
        return
    looser = dataclasses.replace(
        level,
        cap=None if level.cap is None else level.cap + raise_by,
        percent=None if level.percent is None else min(100, level.percent + points),
    )
    rules = dataclasses.replace(
        RULES, support_levels=tuple(looser if row is level else row for row in RULES.support_levels)
    )
    before = e.screen(registration, RULES)
    after = e.screen(registration, rules)
    assert [r.code for r in before] == [r.code for r in after]
    for old, new in zip(before, after, strict=True):
        assert e.SEVERITY[new.outcome] <= e.SEVERITY[old.outcome], (old, new)


@SETTINGS
@given(st.one_of(facts_strategy, plausible))
def test_overall_is_the_worst_check(registration):
    results = e.screen(registration, RULES)
    worst = max(e.SEVERITY[r.outcome] for r in results)
    assert e.SEVERITY[e.overall(results)] == worst
    assert (e.overall(results) == e.PASS) == all(r.passed for r in results)
