"""Hypothesis strategies: a province's plans and projects of varied shapes (issue 19).

A ``Province`` is plain data drawn by Hypothesis (``provinces()``); ``build(province)`` then
records it through the services, as a user would: plans for one year or a period, main and
supplementary, national allocations in batches, projects for one beneficiary, group projects
(with participants added by decision) and the centre's own projects, each walked along the
lifecycle to its status, with budgets that need decimal wording ("487,5 triệu đồng") or are
not round at all. Drawing plain data first keeps shrinking cheap and failures readable.

The report is for ``province.year`` and ``province.period`` ("H1": status on 30 June; "Y": on
31 December). Plans start up to two years before the report year (a period covering it, or
one that ended before it) or the year after it (approved late in the report year, so that
none of its projects belongs to the report). Walks start up to a year before the report date
and a little after it, so some projects are not yet approved on the report date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from khuyencong.plans.models import PlanKind
from khuyencong.projects import groups, plan_services, services
from khuyencong.projects.models import DisbursementKind, ProjectKind, Status
from khuyencong.projects.services import SYSTEM
from tests.beneficiaries.factories import BeneficiaryFactory
from tests.projects.factories import (
    OrganisationFactory,
    make_project,
    province,
    source,
    units,
    walk,
)
from tests.projects.factories import content_area as area_row

D = datetime.date
MILLION = 1_000_000

SOURCES = ("national", "local", "other")
# The leaf content areas of the demo catalog (five groups: art4_3, art4_4, art4_5, art4_6, art4_9).
AREAS = (
    "machinery",
    "product_vote",
    "trade_fair",
    "design_packaging",
    "information",
    "staff_training",
    "plan_building",
    "programme_management",
)
TARGETS = (
    Status.REGISTERED,
    Status.APPRAISED,
    Status.APPROVED,
    Status.ASSIGNED,
    Status.CONTRACTED,
    Status.IN_PROGRESS,
    Status.ACCEPTED,
    Status.SETTLED,
    Status.ADJUSTMENT_REQUESTED,
    Status.STOP_REQUESTED,
    Status.STOPPED,
)
# Statuses an earlier plan's project reaches by decisions dated in the report year (carry-over).
CARRIED_TARGETS = (Status.ACCEPTED, Status.SETTLED, Status.STOPPED, Status.STOP_REQUESTED)
# Bắc Kạn communes and districts of the demo units (places of projects and participants).
COMMUNES = ("01852", "01888", "02116", "02152", "02173", "02185")
DISTRICTS = ("058", "061", "065", "066")

# Budgets: round multiples of 5 million (wording with decimals once summed: "487,5 triệu
# đồng", "1,35 tỷ đồng") and amounts a short form cannot state without rounding.
round_budgets = st.integers(min_value=1, max_value=120).map(lambda n: n * 5 * MILLION)
half_millions = st.integers(min_value=1, max_value=600).map(lambda n: n * 500_000)
odd_budgets = st.integers(min_value=1_000_000, max_value=600 * MILLION)
budgets = st.one_of(round_budgets, round_budgets, half_millions, odd_budgets)


@dataclass(frozen=True)
class PlanShape:
    source: str
    start: int  # the plan's first year minus the report year: -2 … +1
    length: int  # years in the plan's period: 1 … 3
    supplementary: bool
    batches: int  # national allocations by letter (đợt 1, 2…)


@dataclass(frozen=True)
class ProjectShape:
    plan: int  # index into Province.plans
    area: str
    budget: int
    counterpart: int
    kind: str  # ProjectKind
    target: Status
    percent: int | None  # work done recorded after reaching "in progress"
    start: int  # days before the report date the walk starts (negative: after it)
    members: int  # participants of a group project, added once it is approved
    group_size: int  # units a group project plans to support (≥ members)
    paid: int  # tenths of the budget paid: an advance in progress, a payment once accepted
    place: str  # a commune, a district, or "06" (the province: the centre's own work)


@dataclass(frozen=True)
class Province:
    year: int
    period: str
    plans: tuple[PlanShape, ...]
    projects: tuple[ProjectShape, ...]

    @property
    def as_of(self) -> datetime.date:
        return D(self.year, 6, 30) if self.period == "H1" else D(self.year, 12, 31)


plan_shapes = st.builds(
    PlanShape,
    source=st.sampled_from(SOURCES),
    start=st.sampled_from([0, 0, 0, -1, -1, -2, 1]),
    length=st.sampled_from([1, 1, 2, 3]),
    supplementary=st.booleans(),
    batches=st.integers(min_value=0, max_value=2),
)


@st.composite
def project_shapes(draw: Any, plan_count: int, areas: list[str]) -> ProjectShape:
    kind = draw(st.sampled_from([ProjectKind.SINGLE, ProjectKind.SINGLE, *ProjectKind.values]))
    target = draw(st.sampled_from(TARGETS))
    percent = None
    if target == Status.IN_PROGRESS:
        percent = draw(st.sampled_from([None, 50, 60, 75, 100]))
    members = draw(st.integers(min_value=0, max_value=3)) if kind == ProjectKind.GROUP else 0
    place = draw(st.sampled_from(COMMUNES))
    if kind == ProjectKind.CENTRE:
        place = draw(st.sampled_from(["06", *DISTRICTS]))
    return ProjectShape(
        plan=draw(st.integers(min_value=0, max_value=plan_count - 1)),
        area=draw(st.sampled_from(areas)),
        budget=draw(budgets),
        counterpart=draw(st.sampled_from([0, 0, 30 * MILLION, 12_345_000])),
        kind=kind,
        target=target,
        percent=percent,
        start=draw(st.sampled_from([-5, 2, 10, 30, 60, 100, 150, 200, 300, 400])),
        members=members,
        group_size=draw(st.integers(min_value=max(members, 1), max_value=6)),
        paid=draw(st.sampled_from([0, 0, 1, 2, 3])),
        place=place,
    )


def _in(shape: PlanShape, sources: list[str]) -> PlanShape:
    """``shape`` for one of ``sources`` (the sources the province has a plan in force for)."""
    if shape.source in sources:
        return shape
    return PlanShape(**{**shape.__dict__, "source": sources[0]})


@st.composite
def provinces(draw: Any, max_projects: int = 20) -> Province:
    year = draw(st.integers(min_value=2019, max_value=2023))
    period = draw(st.sampled_from(["H1", "Y"]))
    sources = draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True))
    plans = []
    for code in sources:
        # each source has a plan in force in the report year, and maybe others
        start = draw(st.sampled_from([0, 0, -1, -2]))
        plans.append(
            PlanShape(
                source=code,
                start=start,
                length=draw(st.integers(min_value=1 - start, max_value=3)),
                supplementary=draw(st.booleans()),
                batches=draw(st.integers(min_value=0, max_value=2)),
            )
        )
    extra = draw(st.lists(plan_shapes.map(lambda p: _in(p, sources)), max_size=2))
    plans += extra
    areas = draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=6, unique=True))
    # sizes spread over the range (Hypothesis's lists favour short ones): one project per line
    # up to five, status groups beyond
    size = draw(st.sampled_from([n for n in (1, 2, 4, 6, 7, 9, 12, 16, 20) if n <= max_projects]))
    projects = draw(st.lists(project_shapes(len(plans), areas), min_size=size, max_size=size))
    if draw(st.booleans()):  # an earlier plan, whose work in the report year is carried over
        start = draw(st.sampled_from([-1, -2]))
        plans.append(
            PlanShape(
                source=draw(st.sampled_from(sources)),
                start=start,
                length=draw(st.integers(min_value=1, max_value=-start)),
                supplementary=draw(st.booleans()),
                batches=draw(st.integers(min_value=0, max_value=1)),
            )
        )
        carried = draw(project_shapes(len(plans), areas))
        carried = ProjectShape(
            **{
                **carried.__dict__,
                "plan": len(plans) - 1,
                "target": draw(st.sampled_from(CARRIED_TARGETS)),
                "percent": None,
                "start": draw(st.sampled_from([10, 30, 60, 100, 300])),  # mostly in the year
            }
        )
        projects.append(carried)
    return Province(year=year, period=period, plans=tuple(plans), projects=tuple(projects))


# --------------------------------------------------------------------------------------------
# Building a drawn province through the services


@dataclass
class Built:
    province: Any
    plans: list[Any]
    projects: list[Any]


def _plan(shape: PlanShape, year: int, taken: set[tuple[str, int]]) -> Any:
    first = year + shape.start
    last = first + shape.length - 1
    kind = PlanKind.SUPPLEMENTARY if shape.supplementary else PlanKind.MAIN
    if (shape.source, first) in taken:
        kind = PlanKind.SUPPLEMENTARY  # one main plan per source and first year
    if kind == PlanKind.MAIN:
        taken.add((shape.source, first))
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=province(),
        year=first,
        end_year=last,
        kind=kind,
        funding_source=source(shape.source),
        title=f"Kế hoạch khuyến công {shape.source} {first}–{last}",
        ceiling=100_000 * MILLION,
        approving_authority="UBND tỉnh Bắc Kạn",
    )
    # a plan for the year after the report is approved late in the report year
    approved_on = D(first, 1, 1) if first <= year else D(year, 11, 15)
    plan_services.approve_plan(
        plan=plan,
        actor=SYSTEM,
        decision_number=f"{len(taken)}{first}/QĐ-UBND",
        decision_date=approved_on,
    )
    if shape.source == "national":
        for batch in range(1, shape.batches + 1):
            plan_services.record_allocation(
                plan=plan,
                actor=SYSTEM,
                batch=batch,
                document_number=f"{batch}{first}/CTĐP-KC",
                document_date=max(approved_on, D(first, 3, 20)),
                issuer="Cục Công Thương địa phương",
                amount=500 * MILLION * batch,
            )
    return plan


def _walk_start(shape: ProjectShape, plan: Any, as_of: datetime.date) -> datetime.date:
    """The walk's first day: ``shape.start`` days before the report date, but after the
    plan's approval and early enough for every step to stay within the plan's years."""
    approved = plan.decision_date or D(plan.year, 1, 1)
    first = max(approved + datetime.timedelta(days=2), D(plan.year - 1, 1, 2))
    last = D(plan.end_year + 1, 12, 10)
    day = as_of - datetime.timedelta(days=shape.start)
    return min(max(day, first), last)


def title(index: int, shape: ProjectShape) -> str:
    """Unique, so that a line of the report can be traced to its project."""
    return f"Đề án thử số {index + 1} – {shape.area}"


def _project(index: int, shape: ProjectShape, plan: Any, as_of: datetime.date) -> Any:
    start = _walk_start(shape, plan, as_of)
    beneficiary = None
    place = units()[shape.place]
    if shape.kind == ProjectKind.SINGLE:
        beneficiary = BeneficiaryFactory(commune=place)
    allocation = None
    if plan.funding_source.code == "national":
        allocation = plan.allocations.order_by("batch").first()
    project = make_project(
        plan,
        budget=shape.budget,
        counterpart=shape.counterpart,
        place=place,
        beneficiary=beneficiary,
        registered_on=start - datetime.timedelta(days=1),
        content_area=area_row(shape.area),
        kind=shape.kind,
        group_size=shape.group_size if shape.kind == ProjectKind.GROUP else None,
        allocation=allocation,
        title=title(index, shape),
    )
    day = walk(project, shape.target, start)
    paid = shape.budget * shape.paid // 10
    advance = paid if plan.funding_source.code != "other" else 0  # no advance cap for "other"
    if shape.target == Status.IN_PROGRESS and (shape.percent is not None or advance):
        day += datetime.timedelta(days=1)
        services.record_progress(
            project=project,
            actor=SYSTEM,
            date=day,
            progress_percent=shape.percent or 30,
            disbursed_amount=advance,
        )
    if shape.target == Status.ACCEPTED and paid:
        day += datetime.timedelta(days=1)
        services.record_progress(
            project=project,
            actor=SYSTEM,
            date=day,
            progress_percent=100,
            disbursed_amount=paid,
            disbursement_kind=DisbursementKind.PAYMENT,
        )
    approved = project.status not in (Status.REGISTERED, Status.APPRAISED)
    for number in range(shape.members if approved else 0):
        if project.status in groups.CLOSED:
            break
        day += datetime.timedelta(days=1)
        member = BeneficiaryFactory(commune=units()[COMMUNES[number]])
        groups.add_member(
            project=project,
            actor=SYSTEM,
            beneficiary=member,
            place=units()[COMMUNES[number]],
            support_amount=shape.budget // 4,
            decision_number=f"{number + 1}/QĐ-SCT",
            decision_date=day,
        )
    return project


def build(drawn: Province) -> Built:
    """Record ``drawn`` in the database through the services (inside the caller's
    transaction)."""
    OrganisationFactory(name="Trung tâm Khuyến công và Xúc tiến thương mại tỉnh Bắc Kạn")
    taken: set[tuple[str, int]] = set()
    plans = [_plan(shape, drawn.year, taken) for shape in drawn.plans]
    projects = [
        _project(index, shape, plans[shape.plan], drawn.as_of)
        for index, shape in enumerate(drawn.projects)
    ]
    return Built(province=province(), plans=plans, projects=projects)
