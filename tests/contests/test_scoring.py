"""contests/scoring.py: table-driven cases and properties (hypothesis)."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.contests import scoring
from khuyencong.contests.scoring import Card, CriterionSpec, EntryScore, Sheet

SHEET = Sheet(
    (
        CriterionSpec("a", Decimal(30)),
        CriterionSpec("b", Decimal(40)),
        CriterionSpec("c", Decimal(20), Decimal("0.5")),  # counts half
        CriterionSpec("d", Decimal(20)),
    )
)


def test_max_total_weights_the_maxima():
    assert SHEET.max_total == Decimal(100)


@pytest.mark.parametrize(
    ("points", "total"),
    [
        ({"a": 30, "b": 40, "c": 20, "d": 20}, Decimal(100)),
        ({"a": 0, "b": 0, "c": 0, "d": 0}, Decimal(0)),
        ({"a": "12.5", "b": "33.25", "c": "15", "d": "0.01"}, Decimal("53.26")),
        ({"a": "0.1", "b": "0.2", "c": "0.3", "d": 0}, Decimal("0.45")),  # no float drift
    ],
)
def test_judge_total(points, total):
    assert scoring.judge_total(SHEET, points) == total


@pytest.mark.parametrize(
    ("points", "problems"),
    [
        ({"a": 31, "b": 0, "c": 0, "d": 0}, {"a": scoring.ABOVE_MAX}),
        ({"a": -1, "b": 0, "c": 0, "d": 0}, {"a": scoring.NEGATIVE}),
        ({"a": "1.005", "b": 0, "c": 0, "d": 0}, {"a": scoring.TOO_PRECISE}),
        ({"b": 0, "c": 0, "d": 0}, {"a": scoring.MISSING}),
        ({"a": "", "b": 0, "c": 0, "d": 0}, {"a": scoring.MISSING}),
        ({"a": 1, "b": 0, "c": 0, "d": 0, "z": 1}, {"z": scoring.UNKNOWN}),
    ],
)
def test_bad_points_are_refused_by_criterion(points, problems):
    assert scoring.check_points(SHEET, points) == problems
    with pytest.raises(scoring.ScoringError) as error:
        scoring.judge_total(SHEET, points)
    assert error.value.problems == problems


def test_sheet_refuses_repeated_codes_and_non_positive_maxima():
    with pytest.raises(ValueError):
        Sheet((CriterionSpec("a", Decimal(1)), CriterionSpec("a", Decimal(2))))
    with pytest.raises(ValueError):
        CriterionSpec("a", Decimal(0))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(256, 3), Decimal("85.33")),
        (Fraction(227, 3), Decimal("75.67")),
        (Fraction(2, 3), Decimal("0.67")),
        (Fraction(1, 8), Decimal("0.13")),  # half up, not banker's rounding
        (Fraction(72), Decimal("72.00")),
        (Fraction(139995, 2000), Decimal("70.00")),  # 69.9975 displays as 70.00 …
    ],
)
def test_display_rounds_half_up(value, shown):
    assert scoring.round_half_up(value) == shown


def test_threshold_uses_the_exact_average_not_the_displayed_one():
    below = EntryScore("x", "g", Decimal("209.99"), 3)  # 69.9966…, shown 70.00
    assert below.display_average() == Decimal("70.00")
    assert not scoring.meets_threshold(below, 70)
    exactly = EntryScore("y", "g", Decimal(210), 3)
    assert scoring.meets_threshold(exactly, 70)
    nobody = EntryScore("z", "g", Decimal(0), 0)
    assert nobody.average is None and not scoring.meets_threshold(nobody, 0)


def cards(table: dict[str, list]) -> list[Card]:
    """{entry: [total of judge 0, judge 1, …]} (None = conflict declared)."""
    made = []
    for entry, totals in table.items():
        for judge, total in enumerate(totals):
            if total is None:
                made.append(Card(judge, entry, None, conflict=True))
            else:
                made.append(Card(judge, entry, Decimal(str(total))))
    return made


def ranked(table, groups, threshold=70):
    scores = scoring.entry_scores(cards(table), groups)
    return {row.entry: row for row in scoring.rank_in_groups(scores, threshold)}


def test_averages_ranks_ties_and_threshold_per_group():
    table = {
        "tre": [81, 79, 84],
        "mien": [86, 85, 85],
        "tu": [71, 73, 72],
        "ban_ghe": [71.5, 72.5, None],  # third judge declared a conflict
        "gach": [60.5, 64, 65.5],
    }
    groups = {
        "tre": "thu_cong",
        "mien": "thuc_pham",
        "tu": "khac",
        "ban_ghe": "khac",
        "gach": "khac",
    }
    rows = ranked(table, groups)
    assert rows["mien"].average == Fraction(256, 3)
    assert rows["mien"].display_average == Decimal("85.33")
    assert rows["ban_ghe"].count == 2 and rows["ban_ghe"].average == 72
    assert (rows["tu"].rank, rows["tu"].tied) == (1, True)
    assert (rows["ban_ghe"].rank, rows["ban_ghe"].tied) == (1, True)
    assert (rows["gach"].rank, rows["gach"].tied) == (3, False)  # competition ranking 1, 1, 3
    assert rows["tre"].rank == rows["mien"].rank == 1  # each group ranks on its own
    assert [rows[e].meets_threshold for e in ("tre", "mien", "tu", "ban_ghe", "gach")] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_unscored_entries_are_listed_unranked_at_the_end_of_their_group():
    rows = scoring.rank_in_groups(
        scoring.entry_scores(cards({"a": [None, None], "b": [80, 70]}), {"a": "g", "b": "g"}), 70
    )
    assert [(row.entry, row.rank, row.meets_threshold) for row in rows] == [
        ("b", 1, True),
        ("a", None, False),
    ]


def test_unsubmitted_cards_do_not_count_and_duplicates_are_refused():
    draft = [Card(0, "a", Decimal(90), submitted=False), Card(1, "a", Decimal(70))]
    assert scoring.entry_scores(draft, {"a": "g"})["a"].average == 70
    with pytest.raises(ValueError):
        scoring.entry_scores([Card(0, "a", Decimal(1)), Card(0, "a", Decimal(2))], {"a": "g"})


def test_missing_cards_lists_each_judge_and_entry_without_card_or_conflict():
    done = [
        Card("j1", "a", Decimal(80)),
        Card("j2", "a", None, conflict=True),
        Card("j1", "b", Decimal(80), submitted=False),  # a draft is not done
    ]
    assert scoring.missing_cards(["a", "b"], ["j1", "j2"], done) == [("j1", "b"), ("j2", "b")]


# --------------------------------------------------------------------------------------------
# Properties

points_value = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
totals = st.lists(points_value, min_size=1, max_size=9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(points_value, points_value, points_value, points_value), min_size=1))
def test_a_judge_total_is_the_exact_weighted_sum_and_at_most_the_maximum(rows):
    for a, b, c, d in rows:
        caps = {"a": Decimal(30), "b": Decimal(40), "c": Decimal(20), "d": Decimal(20)}
        points = {
            key: min(value, caps[key]) for key, value in zip("abcd", (a, b, c, d), strict=False)
        }
        total = scoring.judge_total(SHEET, points)
        expected = points["a"] + points["b"] + points["c"] / 2 + points["d"]
        assert total == expected
        assert 0 <= total <= SHEET.max_total


@settings(max_examples=200, deadline=None)
@given(totals)
def test_the_average_is_exact_and_between_the_lowest_and_highest_total(values):
    made = [Card(judge, "e", value) for judge, value in enumerate(values)]
    score = scoring.entry_scores(made, {"e": "g"})["e"]
    assert score.average == Fraction(sum(values)) / len(values)
    assert min(values) <= score.average <= max(values)
    assert score.average * len(values) == sum(values)  # nothing lost to rounding


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdef"), totals, min_size=1),
    totals,
)
def test_adding_a_judge_never_changes_the_other_judges_scores(table, newcomer):
    existing = [
        Card(judge, entry, value)
        for entry, values in table.items()
        for judge, value in enumerate(values)
    ]
    groups = dict.fromkeys(table, "g")
    before = scoring.entry_scores(existing, groups)
    new_judge = "newcomer"
    added = [
        Card(new_judge, entry, newcomer[index % len(newcomer)])
        for index, entry in enumerate(sorted(table))
    ]
    after = scoring.entry_scores(existing + added, groups)
    # the existing cards are untouched: same judges, same totals
    assert {(c.judge, c.entry): c.total for c in existing} == {
        (c.judge, c.entry): c.total for c in existing + added if c.judge != new_judge
    }
    for index, entry in enumerate(sorted(table)):
        extra = newcomer[index % len(newcomer)]
        assert after[entry].total_sum == before[entry].total_sum + extra
        assert after[entry].count == before[entry].count + 1


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefgh"), totals, min_size=1), st.integers(0, 2**16))
def test_ranking_is_competition_style_and_independent_of_card_order(table, seed):
    groups = {entry: ("x" if entry in "abcd" else "y") for entry in table}
    made = cards(table)
    shuffled = made[:]
    random.Random(seed).shuffle(shuffled)
    first = scoring.rank_in_groups(scoring.entry_scores(made, groups), 70)
    second = scoring.rank_in_groups(scoring.entry_scores(shuffled, groups), 70)
    by_entry = {row.entry: row for row in first}
    assert by_entry == {row.entry: row for row in second}
    for row in first:
        peers = [other for other in first if other.group == row.group]
        better = sum(1 for other in peers if other.average > row.average)
        equal = sum(1 for other in peers if other.average == row.average)
        assert row.rank == better + 1
        assert row.tied == (equal > 1)
        assert row.meets_threshold == (row.average >= 70)


@settings(max_examples=100, deadline=None)
@given(totals, points_value)
def test_a_declared_conflict_leaves_the_average_as_if_the_judge_were_absent(values, ignored):
    honest = [Card(judge, "e", value) for judge, value in enumerate(values)]
    conflicted = [*honest, Card("c", "e", None, conflict=True)]
    assert (
        scoring.entry_scores(conflicted, {"e": "g"})["e"].average
        == scoring.entry_scores(honest, {"e": "g"})["e"].average
    )
    # a conflict card carrying points (a stale form) is still left out
    stale = [*honest, Card("c", "e", ignored, conflict=True)]
    assert scoring.entry_scores(stale, {"e": "g"})["e"].count == len(values)


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=0, max_value=1000, max_denominator=999))
def test_display_is_the_nearest_hundredth_half_up(value):
    shown = scoring.round_half_up(value)
    assert abs(Fraction(shown) - value) <= Fraction(1, 200)
    assert shown == shown.quantize(Decimal("0.01"))
