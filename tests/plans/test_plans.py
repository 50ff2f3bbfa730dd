"""Plans: creation, approval, versions (adjustments), permissions and the figures."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.accounts.models import Role
from khuyencong.core.models import VersionConflict
from khuyencong.plans.models import Plan, PlanStatus, PlanVersionKind
from khuyencong.projects import plan_services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import DisbursementKind, EventKind, PlanTally, Status
from khuyencong.projects.plan_selectors import (
    plan_figures,
    plan_figures_many,
    plan_list,
    project_sums,
    tallied_sums,
)
from khuyencong.projects.services import SYSTEM
from tests.projects.factories import (
    make_plan,
    make_project,
    province,
    source,
    step,
    user,
    walk,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_create_submit_approve_a_local_plan():
    centre = user(Role.CENTRE_STAFF)
    plan = plan_services.create_plan(
        actor=centre,
        province=province(),
        year=2019,
        funding_source=source("local"),
        title="Kế hoạch khuyến công địa phương năm 2019",
        ceiling=500_000_000,
        approving_authority="UBND tỉnh Bắc Kạn",
    )
    assert plan.status == PlanStatus.DRAFT
    plan_services.submit_plan(plan=plan, actor=centre)
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(Refused) as caught:
        plan_services.approve_plan(
            plan=plan, actor=centre, decision_number="1/QĐ-UBND", decision_date=D(2018, 12, 20)
        )
    assert caught.value.code == "permission"
    leader = user(Role.DEPARTMENT_LEADER)
    plan_services.approve_plan(
        plan=plan, actor=leader, decision_number="1/QĐ-UBND", decision_date=D(2018, 12, 20)
    )
    assert plan.status == PlanStatus.APPROVED
    original = plan.versions.get()
    assert (original.decision_number, original.effective_date) == ("1/QĐ-UBND", D(2018, 12, 20))
    assert plan.ceiling_on(D(2018, 12, 19)) == 0
    assert plan.ceiling_on(D(2018, 12, 20)) == 500_000_000


def test_a_national_plan_is_approved_by_the_national_agency():
    plan = make_plan(source_code="national", approved=False)
    with pytest.raises(Refused):
        plan_services.approve_plan(
            plan=plan,
            actor=user(Role.DEPARTMENT_LEADER),
            decision_number="1/QĐ-BCT",
            decision_date=D(plan.year, 1, 1),
        )
    plan_services.approve_plan(
        plan=plan,
        actor=user(Role.NATIONAL_AGENCY),
        decision_number="1/QĐ-BCT",
        decision_date=D(plan.year, 1, 1),
    )
    assert plan.status == PlanStatus.APPROVED


def test_one_active_plan_per_province_year_and_source():
    plan = make_plan(year=2016)
    with pytest.raises(Refused) as caught:
        make_plan(year=2016)
    assert caught.value.code == "duplicate"
    make_plan(year=2016, source_code="national")  # another source is fine
    plan.archive()
    make_plan(year=2016)  # the archived one no longer counts
    assert Plan.objects.filter(year=2016).count() == 3


def test_versions_set_the_ceiling_in_force_on_each_date():
    plan = make_plan(ceiling=500_000_000, year=2018)
    plan_services.add_plan_version(
        plan=plan,
        actor=SYSTEM,
        kind=PlanVersionKind.SUPPLEMENT,
        ceiling=650_000_000,
        decision_number="2/QĐ",
        decision_date=D(2018, 7, 1),
    )
    plan_services.add_plan_version(
        plan=plan,
        actor=SYSTEM,
        kind=PlanVersionKind.ADJUSTMENT,
        ceiling=600_000_000,
        decision_number="3/QĐ",
        decision_date=D(2018, 9, 1),
        reason="Điều chỉnh giảm",
    )
    assert [plan.ceiling_on(d) for d in (D(2018, 6, 30), D(2018, 7, 1), D(2018, 12, 31))] == [
        500_000_000,
        650_000_000,
        600_000_000,
    ]
    assert [v.number for v in plan.versions.order_by("number")] == [1, 2, 3]
    assert plan_figures(plan, D(2018, 8, 1)).ceiling == 650_000_000


def test_a_version_cannot_cut_the_ceiling_below_what_projects_hold():
    plan = make_plan(ceiling=500_000_000, year=2018)
    project = make_project(plan, budget=400_000_000)
    walk(project, Status.APPROVED, D(2018, 1, 10))
    with pytest.raises(Refused) as caught:
        plan_services.add_plan_version(
            plan=plan,
            actor=SYSTEM,
            kind=PlanVersionKind.ADJUSTMENT,
            ceiling=399_999_999,
            decision_number="2/QĐ",
            decision_date=D(2018, 7, 1),
        )
    assert caught.value.code == "ceiling" and "400.000.000" in caught.value.message
    assert plan.versions.count() == 1
    with pytest.raises(Refused):  # not before the version in force either
        plan_services.add_plan_version(
            plan=plan,
            actor=SYSTEM,
            kind=PlanVersionKind.ADJUSTMENT,
            ceiling=900_000_000,
            decision_number="2/QĐ",
            decision_date=D(2017, 12, 1),
        )
    plan_services.add_plan_version(
        plan=plan,
        actor=SYSTEM,
        kind=PlanVersionKind.ADJUSTMENT,
        ceiling=400_000_000,
        decision_number="2/QĐ",
        decision_date=D(2018, 7, 1),
    )
    assert plan_figures(plan).free == 0


def test_only_approved_plans_take_versions_and_negative_ceilings_are_refused():
    plan = make_plan(approved=False)
    with pytest.raises(Refused) as caught:
        plan_services.add_plan_version(
            plan=plan,
            actor=SYSTEM,
            kind=PlanVersionKind.ADJUSTMENT,
            ceiling=1,
            decision_number="2/QĐ",
            decision_date=D(plan.year, 2, 1),
        )
    assert caught.value.code == "status"
    with pytest.raises(Refused):
        make_plan(ceiling=-1)


def test_plan_figures_are_consistent_with_the_projects():
    plan = make_plan(ceiling=1_000_000_000, year=2018)
    running = make_project(plan, budget=300_000_000)
    day = walk(running, Status.IN_PROGRESS, D(2018, 1, 10))
    from khuyencong.projects import services

    services.record_progress(
        project=running, actor=SYSTEM, date=day, progress_percent=40, disbursed_amount=200_000_000
    )
    settled = make_project(plan, budget=200_000_000)
    walk(settled, Status.SETTLED, D(2018, 1, 10))
    proposed = make_project(plan, budget=100_000_000)
    walk(proposed, Status.APPRAISED, D(2018, 1, 10))
    stopped = make_project(plan, budget=50_000_000)
    walk(stopped, Status.STOPPED, D(2018, 1, 10))
    figures = plan_figures(plan)
    assert figures.ceiling == 1_000_000_000
    assert figures.allocated == 300_000_000  # settled with 0 disbursed settles at 0
    assert figures.disbursed == 200_000_000
    assert figures.settled == 0
    assert figures.free == 700_000_000
    assert figures.project_count == 4
    before = plan_figures(plan, D(2018, 1, 11))  # only the approvals of 11/01 count then
    assert before.disbursed == 0


def test_figures_of_every_record_are_the_plan_tallies_equal_to_the_projects_summed():
    """Without a date the figures read ``projects.PlanTally`` (kept with each write): they
    equal the projects summed live, settled money included; on a date they are summed live."""
    from django.db.models import F

    from khuyencong.projects import services

    plan = make_plan(ceiling=1_000_000_000, year=2018)
    settled = make_project(plan, budget=200_000_000)
    day = walk(settled, Status.ACCEPTED, D(2018, 1, 10)) + datetime.timedelta(days=1)
    services.record_progress(
        project=settled,
        actor=SYSTEM,
        date=day,
        progress_percent=100,
        disbursed_amount=150_000_000,
        disbursement_kind=DisbursementKind.PAYMENT,
    )
    step(settled, EventKind.SETTLE, day + datetime.timedelta(days=1))  # settles what was paid
    walk(make_project(plan, budget=300_000_000), Status.IN_PROGRESS, D(2018, 1, 10))
    walk(make_project(plan, budget=100_000_000), Status.APPRAISED, D(2018, 1, 10))
    live = project_sums([plan.pk], None)[plan.pk]
    assert live[2] > 0 and live[3] == 3  # settled money, three counted projects
    assert tallied_sums([plan.pk])[plan.pk] == live
    figures = plan_figures(plan)
    assert [figures.allocated, figures.disbursed, figures.settled, figures.project_count] == live
    PlanTally.objects.filter(plan=plan).update(settled=F("settled") + 1)
    assert plan_figures(plan).settled == live[2] + 1  # the tallies are what is read
    assert plan_figures(plan, D(2030, 1, 1)).settled == live[2]  # on a date: summed live


def test_plan_list_is_scoped_and_filtered():
    local = make_plan(year=2017)
    national = make_plan(year=2017, source_code="national")
    centre = user(Role.CENTRE_STAFF)
    assert set(plan_list(user=centre, filters={"year": 2017})) == {local, national}
    assert list(plan_list(user=centre, filters={"funding_source": "national", "year": 2017})) == [
        national
    ]
    assert list(plan_list(user=user(Role.BENEFICIARY), filters={})) == []
    many = plan_figures_many([local, national])
    assert set(many) == {local.pk, national.pk}


def test_plan_edit_refuses_a_stale_version():
    plan = make_plan()
    centre = user(Role.CENTRE_STAFF)
    stale = plan.version
    plan_services.update_plan(plan=plan, actor=centre, expected_version=stale, notes="Ghi chú")
    with pytest.raises(VersionConflict):
        plan_services.update_plan(plan=plan, actor=centre, expected_version=stale, title="Khác")
    plan.refresh_from_db()
    assert plan.notes == "Ghi chú" and plan.title != "Khác"
