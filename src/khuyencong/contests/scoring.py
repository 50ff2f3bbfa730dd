"""Scoring arithmetic of the product vote: pure functions over plain values, no database.

Rules (each has table-driven and property tests in tests/contests/test_scoring.py):

- A judge scores each criterion of the sheet between 0 and its maximum, with at most two
  decimals. The judge's total for an entry is Σ weight × points, in exact ``Decimal``.
- A judge who declared a conflict of interest for an entry is left out of that entry's
  average (and only that entry's). Cards not submitted do not count.
- An entry's average is the sum of the counted totals divided by their number, kept EXACT as
  a ``Fraction`` (85/3 stays 85/3): comparisons, ranking and the threshold use the exact
  value; only display rounds (half up, two decimals by default).
- Ranking is per product group, best average first, "competition" style: equal exact
  averages share a rank and are flagged as tied, the next rank skips (1, 2, 2, 4). An entry
  that nobody could score is not ranked.
- The threshold: average ≥ threshold (TT 26/2014 Art. 17(1), 70 points), exactly: 69.995 is
  below 70 even though it displays as 70.00.
- A judge's total depends only on their own points, so adding a judge never changes anyone
  else's total; it only adds a term to the averages of the entries they scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar, cast

TWO_PLACES = Decimal("0.01")

EntryKey = TypeVar("EntryKey", bound=Hashable)
JudgeKey = TypeVar("JudgeKey", bound=Hashable)


class ScoringError(ValueError):
    """Points that the sheet does not allow. ``problems`` maps criterion code -> message key."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(", ".join(f"{code}: {key}" for code, key in problems.items()))


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    max_points: Decimal
    weight: Decimal = Decimal(1)

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_points", Decimal(self.max_points))
        object.__setattr__(self, "weight", Decimal(self.weight))
        if self.max_points <= 0 or self.weight <= 0:
            raise ValueError(f"criterion {self.code}: maximum and weight must be positive")


@dataclass(frozen=True)
class Sheet:
    criteria: tuple[CriterionSpec, ...]

    def __post_init__(self) -> None:
        codes = [criterion.code for criterion in self.criteria]
        if len(codes) != len(set(codes)):
            raise ValueError("criterion codes repeat")

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria), Decimal(0))


# Problem keys (views translate them into sentences).
MISSING = "missing"
NEGATIVE = "negative"
ABOVE_MAX = "above_max"
TOO_PRECISE = "too_precise"
UNKNOWN = "unknown"


def check_points(sheet: Sheet, points: Mapping[str, Decimal | int | str | None]) -> dict[str, str]:
    """Problems with a judge's points for one entry: {criterion code: problem key}."""
    problems: dict[str, str] = {}
    known = {criterion.code for criterion in sheet.criteria}
    for code in points:
        if code not in known:
            problems[code] = UNKNOWN
    for criterion in sheet.criteria:
        value = points.get(criterion.code)
        if value is None or value == "":
            problems[criterion.code] = MISSING
            continue
        value = Decimal(value)
        if value < 0:
            problems[criterion.code] = NEGATIVE
        elif value > criterion.max_points:
            problems[criterion.code] = ABOVE_MAX
        elif value != value.quantize(TWO_PLACES):
            problems[criterion.code] = TOO_PRECISE
    return problems


def judge_total(sheet: Sheet, points: Mapping[str, Decimal | int | str]) -> Decimal:
    """Σ weight × points over the sheet's criteria. Raises ``ScoringError`` on bad points."""
    problems = check_points(sheet, points)
    if problems:
        raise ScoringError(problems)
    return sum(
        (criterion.weight * Decimal(points[criterion.code]) for criterion in sheet.criteria),
        Decimal(0),
    )


@dataclass(frozen=True)
class Card:
    """What the arithmetic needs of a score card."""

    judge: Hashable
    entry: Hashable
    total: Decimal | None = None  # None when the judge declared a conflict
    conflict: bool = False
    submitted: bool = True

    @property
    def counts(self) -> bool:
        return self.submitted and not self.conflict and self.total is not None


@dataclass(frozen=True)
class EntryScore:
    entry: Hashable
    group: Hashable
    total_sum: Decimal
    count: int

    @property
    def average(self) -> Fraction | None:
        """The exact average, or ``None`` when no judge's total counts."""
        if self.count == 0:
            return None
        return Fraction(self.total_sum) / self.count

    def display_average(self, places: int = 2) -> Decimal | None:
        return round_half_up(self.average, places)


def round_half_up(value: Fraction | None, places: int = 2) -> Decimal | None:
    """An exact value for display: 85/3 -> Decimal("28.33"), 2/3 -> "0.67" (half up)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    scaled = Fraction(value) * 10**places
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    if remainder * 2 >= scaled.denominator:
        whole += 1
    return (Decimal(whole) * quantum).quantize(quantum, rounding=ROUND_HALF_UP)


def entry_scores(cards: Iterable[Card], groups: Mapping[Hashable, Hashable]) -> dict:
    """Per entry (every key of ``groups``: entry -> product group), the counted totals."""
    sums: dict[Hashable, Decimal] = defaultdict(Decimal)
    counts: dict[Hashable, int] = defaultdict(int)
    seen: set[tuple[Hashable, Hashable]] = set()
    for card in cards:
        if (card.judge, card.entry) in seen:
            raise ValueError(f"two cards of judge {card.judge!r} for entry {card.entry!r}")
        seen.add((card.judge, card.entry))
        if card.entry not in groups or not card.counts:
            continue
        assert card.total is not None  # a card that counts has a total
        sums[card.entry] += card.total
        counts[card.entry] += 1
    return {
        entry: EntryScore(entry, group, sums[entry], counts[entry])
        for entry, group in groups.items()
    }


def meets_threshold(score: EntryScore, threshold: Decimal | int) -> bool:
    """Average ≥ threshold, exactly; an entry nobody scored does not meet it."""
    average = score.average
    return average is not None and average >= Fraction(Decimal(threshold))


@dataclass(frozen=True)
class Ranked:
    entry: Hashable
    group: Hashable
    average: Fraction | None
    rank: int | None
    tied: bool
    meets_threshold: bool
    total_sum: Decimal
    count: int

    @property
    def display_average(self) -> Decimal | None:
        return round_half_up(self.average)


def rank_in_groups(scores: Mapping[Hashable, EntryScore], threshold: Decimal | int) -> list:
    """Every entry, ranked within its group (best first, ties share a rank), as ``Ranked``.

    Order of the list: groups in first-seen order, then rank; unranked entries last in their
    group, in the order given.
    """
    by_group: dict[Hashable, list[EntryScore]] = defaultdict(list)
    for score in scores.values():
        by_group[score.group].append(score)
    result: list[Ranked] = []
    for group, members in by_group.items():
        scored = sorted(
            (score for score in members if score.average is not None),
            key=lambda score: cast(Fraction, score.average),  # None filtered out above
            reverse=True,
        )
        averages = [score.average for score in scored]
        for score in scored:
            rank = averages.index(score.average) + 1  # the first position of this value
            tied = averages.count(score.average) > 1
            result.append(
                Ranked(
                    score.entry,
                    group,
                    score.average,
                    rank,
                    tied,
                    meets_threshold(score, threshold),
                    score.total_sum,
                    score.count,
                )
            )
        for score in members:
            if score.average is None:
                result.append(Ranked(score.entry, group, None, None, False, False, Decimal(0), 0))
    return result


def missing_cards(
    entries: Iterable[EntryKey], judges: Iterable[JudgeKey], cards: Iterable[Card]
) -> list[tuple[JudgeKey, EntryKey]]:
    """(judge, entry) pairs with neither a submitted card nor a declared conflict: the panel
    cannot close while any remain."""
    done = {(card.judge, card.entry) for card in cards if card.submitted or card.conflict}
    judges = list(judges)
    return [(judge, entry) for entry in entries for judge in judges if (judge, entry) not in done]
