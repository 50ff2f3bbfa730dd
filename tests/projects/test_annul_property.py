"""Hypothesis (issue 20): the state machine of test_stateful with annulments and corrections
added: after any sequence of records, annulments and corrections, every project's stored
state (``Project.status``, ``StatePeriod``, ``PlanTally``, the plan's figures) equals the
state of replaying only the records that still count, from scratch; a refused annulment
changes nothing."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from khuyencong.projects import lifecycle, services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import Annulment, Project, StatePeriod
from khuyencong.projects.services import SYSTEM, event_facts, progress_facts
from khuyencong.projects.states import periods

from .test_stateful import ProjectLife


def effective(project: Project) -> tuple[list, list]:
    """The records that count, read afresh without the queryset helpers under test."""
    annulled_events = set(
        Annulment.objects.filter(event__isnull=False).values_list("event_id", flat=True)
    )
    annulled_progress = set(
        Annulment.objects.filter(progress_update__isnull=False).values_list(
            "progress_update_id", flat=True
        )
    )
    events = [e for e in project.events.all() if e.pk not in annulled_events]
    events.sort(key=lambda e: (e.corrects_sequence or e.sequence, e.sequence))
    progress = [
        r for r in project.progress_updates.order_by("date", "id") if r.pk not in annulled_progress
    ]
    return events, progress


def snapshot(project: Project) -> tuple:
    project.refresh_from_db()
    return (
        project.status,
        project.version,
        project.budget,
        project.events.count(),
        Annulment.objects.filter(project=project).count(),
        list(project.states.order_by("valid_from").values_list("valid_from", "status")),
    )


class AnnulledLife(ProjectLife):
    @rule(
        project=ProjectLife.projects,
        data=st.data(),
        which=st.sampled_from(["event", "progress", "correction"]),
    )
    def annul(self, project, data, which) -> None:
        events, progress = effective(project)
        if which == "progress":
            if not progress:
                return
            row = data.draw(st.sampled_from(progress))
            call, kwargs = services.annul_progress, {"progress_update": row}
        else:
            events = events[1:]  # the registration
            if not events:
                return
            event = data.draw(st.sampled_from(events))
            call, kwargs = services.annul_event, {"event": event}
            if which == "correction":
                shift = data.draw(st.integers(min_value=-2, max_value=2))
                call = services.correct_event
                kwargs["effective_date"] = event.effective_date + datetime.timedelta(days=shift)
                kwargs["document_number"] = "02/QĐ-sửa"
        before = snapshot(project)
        try:
            call(project=project, actor=SYSTEM, reason="Ghi nhầm", **kwargs)
        except Refused as refusal:
            assert refusal.message
            assert snapshot(project) == before, refusal.code
            self.refusals += 1

    @invariant()
    def every_project_is_legal_and_its_money_sane(self) -> None:
        if not hasattr(self, "plan"):
            return
        for project in Project.objects.filter(plan=self.plan).select_related(
            "plan__funding_source"
        ):
            events, _progress = effective(project)
            assert project.status == events[-1].to_status
            previous = None
            for event in events:
                if previous is not None:
                    assert previous.to_status == event.from_status or (
                        lifecycle.BY_KIND[event.kind].target == lifecycle.RESUME
                    )
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
            events, progress = effective(project)
            expected = periods(
                event_facts(events, source),
                progress_facts(progress),
                budget=project.budget,
                source=source,
            )
            stored = list(project.states.order_by("valid_from").values(*columns))
            assert stored == expected


@pytest.mark.django_db
def test_any_sequence_with_annulments_is_the_remaining_records_replayed():
    run_state_machine_as_test(
        AnnulledLife,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
