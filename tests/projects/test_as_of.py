"""Status, progress and money on any date, rebuilt from the event log; lists and filters."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.plans.models import Plan
from khuyencong.projects import lifecycle
from khuyencong.projects.models import CurrentState, Project, Status
from khuyencong.projects.selectors import (
    Phase,
    annotate_as_of,
    log_columns,
    project_list,
    state_from_records,
    state_of,
    status_as_of,
)
from khuyencong.projects.services import event_facts, fill_missing_states, progress_facts

from .factories import make_project, user

pytestmark = pytest.mark.django_db
D = datetime.date


def replayed(project: Project, day: datetime.date) -> lifecycle.Replay:
    """The independent pure implementation: replay the rows in Python."""
    source = project.funding_source_code
    events = event_facts(project.events.order_by("sequence"), source)
    progress = progress_facts(project.progress_updates.order_by("date", "id"))
    return lifecycle.replay(
        events, progress, current_plan_budget=project.budget.in_source(source), day=day
    )


def test_sql_as_of_equals_the_python_replay_on_every_day_of_the_demo():
    load_bac_kan_2018_projects()
    days = [D(2017, 5, 14), D(2017, 12, 31)] + [D(2018, m, 1) for m in range(1, 13)]
    days += [D(2018, 6, 30), D(2018, 12, 31), None]
    for project in Project.objects.select_related("plan__funding_source"):
        for day in days:
            state = status_as_of(project, day)
            pure = replayed(project, day)
            assert (state.status, state.progress_percent, state.disbursed, state.advanced) == (
                pure.status,
                pure.progress_percent,
                pure.disbursed,
                pure.advanced,
            ), (project.code, day)
            assert state.allocated == pure.allocated, (project.code, day)
            assert state.plan_budget == pure.plan_budget
            assert state.under_review == pure.under_review
            assert state.not_started == pure.not_started


DEMO_DAYS = [D(2017, 5, 14), D(2017, 9, 15), D(2018, 1, 1), D(2018, 5, 10), D(2018, 6, 30)]
DEMO_DAYS += [D(2018, 9, 1), D(2018, 12, 31), D(2030, 1, 1), None]


def as_of_rows(day: datetime.date | None, *, from_log: bool = False) -> dict[str, tuple]:
    """Every project's ``as_of_*`` columns on ``day``: through ``annotate_as_of`` (cached
    state where it holds) or through the log alone."""
    rows = Project.objects.order_by("code")
    if from_log:
        rows = rows.annotate(**log_columns(day))
        budgets = [
            f"as_of_snapshot_{name}" for name in ("national", "local", "counterpart", "other")
        ]
    else:
        rows = annotate_as_of(rows, day)
        budgets = [f"as_of_budget_{name}" for name in ("national", "local", "counterpart", "other")]
    names = ["as_of_status", "as_of_last_kind", "as_of_progress", "as_of_disbursed"]
    names += ["as_of_advanced", "as_of_accepted", "as_of_settled", "as_of_retained"]
    return {row[0]: row[1:9] for row in rows.values_list("code", *names, *budgets)}


def test_the_cached_state_gives_the_log_s_answer_on_every_day():
    """Projects whose records all fall by the day read the cache, the others the log: the
    answer is the log's either way, and on a date the same with no cache at all."""
    load_bac_kan_2018_projects()
    assert CurrentState.objects.count() == Project.objects.count() == 13
    through = set(CurrentState.objects.values_list("through", flat=True))
    assert len(through) > 3  # the days above fall on both sides of many projects' last record
    answers = {day: as_of_rows(day) for day in DEMO_DAYS}
    for day in DEMO_DAYS:
        assert answers[day] == as_of_rows(day, from_log=True), day
    CurrentState.objects.all().delete()  # a cache: without it every dated read takes the log
    for day in DEMO_DAYS[:-1]:
        assert as_of_rows(day) == answers[day], day
    assert fill_missing_states() == 13  # what migrations do; "every record" reads the rows
    assert as_of_rows(None) == answers[None]


def test_a_stale_cache_is_what_the_reads_believe():
    """Guards the test above: the cached columns are really read (a row edited behind the
    services' back shows), so the equality there is not the log answering twice."""
    load_bac_kan_2018_projects()
    project = Project.objects.get(code="BK-KCDP-2018-01")
    CurrentState.objects.filter(project=project).update(status="stopped", disbursed=7)
    assert status_as_of(project, D(2030, 1, 1)).status == "stopped"
    assert status_as_of(project, None).disbursed == 7
    assert status_as_of(project, D(2018, 3, 1)).status != "stopped"  # before its last record


def test_the_page_s_replay_equals_the_database_on_every_day():
    load_bac_kan_2018_projects()
    for project in Project.objects.select_related("plan__funding_source"):
        events = list(project.events.order_by("sequence"))
        progress = list(project.progress_updates.order_by("date", "id"))
        for day in DEMO_DAYS:
            assert state_from_records(project, events, progress, day) == status_as_of(
                project, day
            ), (project.code, day)


def test_the_current_row_matches_the_last_event():
    load_bac_kan_2018_projects()
    for project in Project.objects.all():
        assert status_as_of(project, None).status == project.status


def test_a_project_did_not_exist_before_its_registration():
    load_bac_kan_2018_projects()
    project = Project.objects.get(code="BK-KCDP-2018-01")
    assert status_as_of(project, D(2017, 9, 14)).status is None
    assert not status_as_of(project, D(2017, 9, 14)).exists
    assert status_as_of(project, D(2017, 9, 15)).status == Status.REGISTERED
    admin = user(Role.SYSTEM_ADMIN)
    assert project_list(user=admin, as_of=D(2017, 9, 14), filters={"year": 2018}).count() == 3
    assert project_list(user=admin, as_of=D(2017, 9, 15), filters={"year": 2018}).count() == 13


def test_project_list_filters_on_the_as_of_state():
    load_bac_kan_2018_projects()
    admin = user(Role.SYSTEM_ADMIN)
    june = D(2018, 6, 30)

    def codes(**filters):
        rows = project_list(user=admin, filters={"year": 2018, **filters}, as_of=june)
        return sorted(row.code for row in rows)

    assert codes(status=Status.STOP_REQUESTED) == [
        "BK-KCDP-2018-07",
        "BK-KCDP-2018-08",
        "BK-KCQG-2018-03",
    ]
    assert codes(phase=Phase.NOT_STARTED) == [
        "BK-KCDP-2018-09",
        "BK-KCDP-2018-10",
        "BK-KCQG-2018-02",
    ]
    assert len(codes(phase=Phase.IN_PROGRESS)) == 5
    assert codes(phase=Phase.COMPLETED) == ["BK-KCDP-2018-01", "BK-KCDP-2018-02"]
    assert len(codes(phase=[Phase.COMPLETED, Phase.NOT_STARTED])) == 5
    assert len(codes(funding_source="national")) == 3
    assert codes(q="sam van thuong") == ["BK-KCDP-2018-08"]  # accent-insensitive
    assert codes(q="TRE") == ["BK-KCQG-2018-03"]
    assert len(codes(beneficiary_kind="household")) == 2
    na_ri = Project.objects.get(code="BK-KCDP-2018-08").district
    assert codes(district=na_ri) == ["BK-KCDP-2018-06", "BK-KCDP-2018-08", "BK-KCQG-2018-02"]
    from khuyencong.catalog.models import ContentArea

    assert len(codes(content_area=ContentArea.objects.get(code="machinery"))) == 6
    assert len(codes(content_area=ContentArea.objects.get(code="art4_9"))) == 3  # a group
    # the same project is "in progress" in June and "completed" at year end
    year_end = project_list(user=admin, filters={"phase": Phase.COMPLETED}, as_of=D(2018, 12, 31))
    assert "BK-KCDP-2018-06" in {row.code for row in year_end}


def test_project_list_sorts_and_exposes_the_state():
    load_bac_kan_2018_projects()
    admin = user(Role.SYSTEM_ADMIN)
    rows = list(project_list(user=admin, as_of=D(2018, 6, 30), order="-progress"))
    assert [state_of(r).progress_percent for r in rows][:2] == [100, 100]
    rows = list(project_list(user=admin, as_of=D(2018, 6, 30), order="budget"))
    assert rows[0].code == "BK-KCDP-2018-02"  # 15 M
    with pytest.raises(ValueError):
        project_list(user=admin, filters={"colour": "red"})


def test_project_list_is_scoped_to_the_user():
    load_bac_kan_2018_projects()
    project = Project.objects.get(code="BK-KCDP-2018-08")
    district_officer = user(Role.DISTRICT_OFFICER, district=project.district)
    rows = {r.code for r in project_list(user=district_officer)}
    assert rows == {"BK-KCDP-2018-06", "BK-KCDP-2018-08", "BK-KCQG-2018-02"}
    beneficiary = user(Role.BENEFICIARY, beneficiary=project.beneficiary)
    assert [r.code for r in project_list(user=beneficiary)] == ["BK-KCDP-2018-08"]
    from django.contrib.auth.models import AnonymousUser

    assert not project_list(user=AnonymousUser()).exists()


def test_archived_projects_leave_lists_and_sums():
    plan_project = make_project()
    plan: Plan = plan_project.plan
    from khuyencong.projects.services import SYSTEM, archive_project

    archive_project(project=plan_project, actor=SYSTEM)
    assert not project_list(user=user(Role.SYSTEM_ADMIN), filters={"plan": plan}).exists()
