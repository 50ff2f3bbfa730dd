"""Hypothesis stateful test: any sequence of attempted transitions, progress updates and
ceiling changes leaves every project in a legal state, money never negative, allocated within
the ceiling on every date, plan sums equal to project sums, refusals change nothing, and each
project's stored states equal to its log replayed by the rules on every date, and the plan's
tally equal to its projects summed by the rules."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import event as note
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from khuyencong.core.money import percent_of
from khuyencong.plans.models import PlanVersionKind
from khuyencong.projects import lifecycle, plan_services, services
from khuyencong.projects.lifecycle import RESUME, SAME, Refused
from khuyencong.projects.models import (
    Budget,
    DisbursementKind,
    EventKind,
    PlanTally,
    Project,
    StatePeriod,
)
from khuyencong.projects.plan_selectors import plan_figures
from khuyencong.projects.selectors import state_of
from khuyencong.projects.services import SYSTEM, event_facts, plan_timelines, progress_facts
from khuyencong.projects.states import periods

from .factories import make_plan, make_project
from .test_as_of import replayed
from .test_lifecycle_table import snapshot

KINDS = [row.kind for row in lifecycle.TRANSITIONS]
MONEY = st.integers(min_value=0, max_value=400_000_000)
START = datetime.date(2018, 1, 5)


class ProjectLife(RuleBasedStateMachine):
    projects = Bundle("projects")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.day = START
        self.refusals = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(ceiling=st.integers(min_value=0, max_value=2_000_000_000))
    def make_plan(self, ceiling: int) -> None:
        self.plan = make_plan(year=2018, ceiling=ceiling)

    @rule(target=projects, budget=MONEY, counterpart=st.sampled_from([0, 10_000_000]))
    def register(self, budget: int, counterpart: int) -> Project:
        return make_project(self.plan, budget=budget, counterpart=counterpart)

    def attempt(self, project: Project, call, /, **kwargs) -> None:
        before = snapshot(project)
        try:
            call(**kwargs)
        except Refused as refusal:
            assert refusal.message
            assert snapshot(project) == before, refusal.code
            self.refusals += 1
        else:
            project.refresh_from_db()
            note(f"reached {project.status}")

    @rule(
        project=projects,
        kind=st.sampled_from(KINDS),
        shift=st.integers(min_value=-2, max_value=3),
        amount=st.one_of(st.none(), st.just("disbursed"), MONEY),
        new_budget=st.one_of(st.none(), MONEY),
        to_status=st.sampled_from(sorted(lifecycle.BASELINE_STATUSES)),
    )
    def transition(self, project, kind, shift, amount, new_budget, to_status=None) -> None:
        self.day += datetime.timedelta(days=max(shift, 0))
        day = self.day + datetime.timedelta(days=min(shift, 0))
        if amount == "disbursed":
            amount = services.build_facts(project, day=day).replay.disbursed
        if kind not in (EventKind.ACCEPT, EventKind.SETTLE, EventKind.TAKEN_OVER):
            amount = None
        budget = None
        if kind == EventKind.APPROVE_ADJUSTMENT and new_budget is not None:
            budget = Budget(local=new_budget)
        self.attempt(
            project,
            services.project_transition,
            project=project,
            kind=kind,
            effective_date=day,
            actor=SYSTEM,
            document_number="01/QĐ",
            reason="Lý do",
            amount=amount,
            new_budget=budget,
            # the import baseline: the status it names (the others ignore it)
            to_status=to_status if kind == EventKind.TAKEN_OVER else "",
        )

    @rule(project=projects, data=st.data(), steps=st.integers(min_value=1, max_value=6))
    def take_legal_steps(self, project, data, steps) -> None:
        """Pick among the steps the table allows now (the guards may still refuse)."""
        for _ in range(steps):
            project.refresh_from_db()
            rows = lifecycle.available(project.status)
            if not rows:
                return
            kind = data.draw(st.sampled_from([row.kind for row in rows]))
            shift = data.draw(st.integers(min_value=0, max_value=3))
            if kind == EventKind.ACCEPT:
                self.progress(project, 100, 0, DisbursementKind.ADVANCE, shift)
            amount = None
            if kind in (EventKind.ACCEPT, EventKind.SETTLE):
                amount = services.build_facts(project, day=self.day).replay.disbursed
            self.transition(project, kind, shift, amount, None)

    @rule(
        project=projects,
        percent=st.integers(min_value=0, max_value=100),
        amount=st.integers(min_value=0, max_value=200_000_000),
        kind=st.sampled_from(DisbursementKind.values),
        shift=st.integers(min_value=0, max_value=5),
    )
    def progress(self, project, percent, amount, kind, shift) -> None:
        self.day += datetime.timedelta(days=shift)
        self.attempt(
            project,
            services.record_progress,
            project=project,
            actor=SYSTEM,
            date=self.day,
            progress_percent=percent,
            disbursed_amount=amount,
            disbursement_kind=kind,
        )

    @rule(ceiling=MONEY, shift=st.integers(min_value=0, max_value=5))
    def change_ceiling(self, ceiling: int, shift: int) -> None:
        self.day += datetime.timedelta(days=shift)
        versions = self.plan.versions.count()
        try:
            plan_services.add_plan_version(
                plan=self.plan,
                actor=SYSTEM,
                kind=PlanVersionKind.ADJUSTMENT,
                ceiling=ceiling,
                decision_number="02/QĐ",
                decision_date=self.day,
            )
        except Refused:
            assert self.plan.versions.count() == versions

    # ------------------------------------------------------------------ invariants

    @invariant()
    def every_project_is_legal_and_its_money_sane(self) -> None:
        if not hasattr(self, "plan"):
            return
        for project in Project.objects.filter(plan=self.plan).select_related(
            "plan__funding_source"
        ):
            state = state_of(project)
            pure = replayed(project, None)
            assert state.status == project.status == pure.status
            assert state.allocated == pure.allocated and state.disbursed == pure.disbursed
            assert min(project.budget) >= 0 and state.disbursed >= 0 and state.allocated >= 0
            assert state.advanced <= percent_of(state.plan_budget, 70)
            ceiling_for_money = state.plan_budget
            if state.settled_amount is not None:
                ceiling_for_money = state.settled_amount
            assert state.disbursed <= ceiling_for_money or project.status == "stopped"
            previous = None
            for event in project.events.order_by("sequence"):
                if event.kind == EventKind.REGISTER:
                    assert event.sequence == 1
                else:
                    row = lifecycle.BY_KIND[event.kind]
                    assert event.from_status in row.sources
                    if row.target == SAME:
                        assert event.to_status == event.from_status
                    elif row.target == lifecycle.GIVEN:
                        assert event.to_status in lifecycle.BASELINE_STATUSES
                    elif row.target != RESUME:
                        assert event.to_status == row.target
                    assert previous.to_status == event.from_status
                    assert previous.effective_date <= event.effective_date
                previous = event

    @invariant()
    def the_stored_states_are_the_log_replayed_by_the_rules(self) -> None:
        if not hasattr(self, "plan"):
            return
        columns = [f.name for f in StatePeriod._meta.concrete_fields]
        columns = [name for name in columns if name not in ("id", "project")]
        for project in Project.objects.filter(plan=self.plan).select_related(
            "plan__funding_source"
        ):
            source = project.funding_source_code
            expected = periods(
                event_facts(project.events.order_by("sequence"), source),
                progress_facts(project.progress_updates.order_by("date", "id")),
                budget=project.budget,
                source=source,
            )
            stored = list(project.states.order_by("valid_from").values(*columns))
            assert stored == expected
            for day in {row["valid_from"] for row in stored}:
                state, pure = state_of(project, day), replayed(project, day)
                assert (state.status, state.phase, state.allocated) == (
                    pure.status,
                    pure.phase,
                    pure.allocated,
                )

    @invariant()
    def the_plan_tally_is_its_projects_summed_by_the_rules(self) -> None:
        if not hasattr(self, "plan"):
            return
        states = [state_of(p) for p in Project.objects.filter(plan=self.plan).active()]
        counted = [state for state in states if state.status is not None]
        expected = (
            len(counted),
            sum(state.allocated for state in counted),
            sum(state.disbursed for state in counted),
            sum(state.settled_amount or 0 for state in counted),
        )
        tallies = [
            (t.projects, t.allocated, t.disbursed, t.settled) for t in PlanTally.objects.all()
        ]
        assert tallies == ([expected] if counted else [])  # one plan, one province

    @invariant()
    def plan_sums_equal_project_sums_within_the_ceiling(self) -> None:
        if not hasattr(self, "plan"):
            return
        figures = plan_figures(self.plan)
        states = [state_of(p) for p in Project.objects.filter(plan=self.plan)]
        assert figures.allocated == sum(s.allocated for s in states)
        assert figures.disbursed == sum(s.disbursed for s in states)
        assert figures.settled == sum(s.settled_amount or 0 for s in states)
        assert 0 <= figures.allocated <= figures.ceiling
        assert figures.free == figures.ceiling - figures.allocated >= 0
        steps = services.ceiling_steps(self.plan)
        assert lifecycle.first_ceiling_breach(steps, plan_timelines(self.plan)) is None


@pytest.mark.django_db
def test_any_sequence_of_steps_keeps_the_rules():
    run_state_machine_as_test(
        ProjectLife,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
