"""The stored periods of a project's state are the rules' replay on every day (pure, no
database): whatever the records, the period holding a day carries ``lifecycle.replay`` on
that day, and before the first record there is none."""

from __future__ import annotations

import datetime
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from khuyencong.projects import lifecycle
from khuyencong.projects.lifecycle import EventFact, ProgressFact
from khuyencong.projects.models import Budget, DisbursementKind, EventKind, Status
from khuyencong.projects.states import periods

START = datetime.date(2018, 1, 1)
days = st.integers(min_value=0, max_value=60).map(lambda n: START + datetime.timedelta(days=n))
money = st.integers(min_value=0, max_value=10**9)
budgets = st.builds(Budget, money, money, money, money)


# Progress is recorded once a contract is signed: from then on the project is never back to
# approved or assigned (``phase_of`` knows no such state).
AFTER_CONTRACT = [s for s in Status.values if s not in (Status.APPROVED, Status.ASSIGNED)]


@st.composite
def records(draw):
    event_days = sorted(draw(st.lists(days, min_size=0, max_size=8)))
    contracted = draw(st.integers(min_value=0, max_value=len(event_days)))
    events = [
        EventFact(
            kind=EventKind.REGISTER,
            effective_date=START,
            from_status="",
            to_status=Status.REGISTERED,
        )
    ]
    for index, day in enumerate(event_days):
        snapshot = draw(st.none() | budgets)
        later = index >= contracted
        events.append(
            EventFact(
                kind=draw(st.sampled_from(EventKind.values)),
                effective_date=day,
                from_status=events[-1].to_status,
                to_status=Status.CONTRACTED
                if index == contracted
                else draw(st.sampled_from(AFTER_CONTRACT if later else Status.values)),
                amount=draw(st.none() | money),
                plan_budget=snapshot.local if snapshot is not None else None,
                budget=snapshot,
            )
        )
    progress = []
    if contracted < len(event_days):
        first = event_days[contracted]
        progress = [
            ProgressFact(
                date=draw(days.filter(lambda day: day >= first)),
                progress_percent=draw(st.integers(min_value=0, max_value=100)),
                disbursed_amount=draw(money),
                disbursement_kind=draw(st.sampled_from(DisbursementKind.values)),
            )
            for _ in range(draw(st.integers(min_value=0, max_value=6)))
        ]
    return events, sorted(progress, key=lambda row: row.date)


@given(records(), budgets, st.lists(days, min_size=1, max_size=5))
def test_the_period_holding_a_day_is_the_replay_on_that_day(facts, budget, asked):
    events, progress = facts
    rows = periods(events, progress, budget=budget, source="local")
    assert rows[0]["valid_from"] == START and rows[-1]["valid_to"] is None
    for earlier, later in pairwise(rows):
        assert earlier["valid_to"] == later["valid_from"] > earlier["valid_from"]
    before = START - datetime.timedelta(days=1)
    for day in [before, *asked]:
        held = [r for r in rows if r["valid_from"] <= day and (r["valid_to"] or day) >= day]
        held = [r for r in held if r["valid_to"] is None or r["valid_to"] > day]
        pure = lifecycle.replay(events, progress, current_plan_budget=budget.local, day=day)
        if pure.status is None:
            assert held == []
            continue
        (row,) = held
        assert (row["status"], row["under_review"], row["phase"], row["allocated"]) == (
            pure.status,
            pure.under_review,
            pure.phase,
            pure.allocated,
        )
        assert (row["progress"], row["disbursed"], row["advanced"]) == (
            pure.progress_percent,
            pure.disbursed,
            pure.advanced,
        )
        assert (row["accepted"], row["settled"], row["retained"]) == (
            pure.accepted_amount,
            pure.settled_amount,
            pure.retained_amount,
        )
        assert Budget(*(row[f"budget_{n}"] for n in Budget._fields)) == (pure.budget or budget)
        assert row["plan_budget"] == pure.plan_budget
