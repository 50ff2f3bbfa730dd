"""Factories and helpers for plans and projects tests.

Catalog rows and Bắc Kạn units come from the demo helpers (get_or_create by code), so the
tests run whether or not the catalog seed and the places loader have landed.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import factory

from khuyencong.accounts.models import Organisation, Role, ScopeLevel, User
from khuyencong.catalog.models import ContentArea, FundingSource
from khuyencong.demo import projects as demo
from khuyencong.plans.models import Plan
from khuyencong.projects import plan_services, services
from khuyencong.projects.models import Budget, EventKind, Project, Status
from khuyencong.projects.services import SYSTEM

D = datetime.date
_codes = itertools.count(1)
_years = itertools.count()


def units() -> dict[str, Any]:
    return demo.ensure_admin_units()


def province() -> Any:
    return units()["06"]


def source(code: str) -> FundingSource:
    demo.ensure_catalogs()
    return FundingSource.objects.get(code=code)


def content_area(code: str = "machinery") -> ContentArea:
    demo.ensure_catalogs()
    return ContentArea.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "centre"
    name = factory.Sequence(lambda n: f"Trung tâm Khuyến công {n}")
    province = factory.LazyFunction(province)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CENTRE_STAFF
    scope_level = ScopeLevel.PROVINCE
    province = factory.LazyFunction(province)
    password = factory.django.Password("correct horse battery")


def user(role: str, **kwargs: Any) -> User:
    if role in (Role.NATIONAL_AGENCY, Role.SYSTEM_ADMIN):
        kwargs.setdefault("scope_level", ScopeLevel.NATIONAL)
        kwargs.setdefault("province", None)
    return UserFactory(role=role, **kwargs)


def make_plan(
    *,
    source_code: str = "local",
    ceiling: int = 500_000_000,
    year: int | None = None,
    approved: bool = True,
    unit: Any = None,
) -> Plan:
    """A plan (a fresh year by default, so plans never clash within a test), approved on
    1 January. Years 2015-2024: the advance caps start in 2014, the legacy units end in 2025."""
    year = year or 2015 + next(_years) % 10
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=unit or province(),
        year=year,
        funding_source=source(source_code),
        title=f"Kế hoạch {source_code} {year}",
        ceiling=ceiling,
    )
    if approved:
        plan_services.approve_plan(
            plan=plan, actor=SYSTEM, decision_number=f"{year}/QĐ", decision_date=D(year, 1, 1)
        )
    return plan


def make_project(
    plan: Plan | None = None,
    *,
    budget: int = 100_000_000,
    counterpart: int = 0,
    place: Any = None,
    beneficiary: Any = None,
    registered_on: datetime.date | None = None,
    **kwargs: Any,
) -> Project:
    """A registered project in ``plan`` with ``budget`` from the plan's source."""
    plan = plan or make_plan()
    amounts = {plan.funding_source.code: budget, "counterpart": counterpart}
    code = kwargs.pop("code") if "code" in kwargs else f"T-{next(_codes):05d}"
    centre = Organisation.objects.filter(kind="centre").first() or OrganisationFactory()
    return services.create_project(
        actor=SYSTEM,
        code=code,
        title=kwargs.pop("title", "Hỗ trợ ứng dụng máy móc thiết bị"),
        content_area=kwargs.pop("content_area", None) or content_area(),
        implementing_unit=centre,
        place=place or units()["02152"],
        registered_on=registered_on or D(plan.year, 1, 2),
        plan=plan,
        beneficiary=beneficiary,
        budget=Budget(**amounts),
        **kwargs,
    )


# The main path and the steps that reach each status from "registered".
MAIN_PATH = [
    (EventKind.APPRAISE, Status.APPRAISED),
    (EventKind.APPROVE, Status.APPROVED),
    (EventKind.ASSIGN, Status.ASSIGNED),
    (EventKind.CONTRACT, Status.CONTRACTED),
    ("progress", Status.IN_PROGRESS),
    (EventKind.ACCEPT, Status.ACCEPTED),
    (EventKind.SETTLE, Status.SETTLED),
]


def step(project: Project, kind: str, day: datetime.date, actor: Any = SYSTEM, **kwargs: Any):
    """One transition with the usual paperwork filled in."""
    kwargs.setdefault("document_number", "01/QĐ")
    if kind in (
        EventKind.REQUEST_ADJUSTMENT,
        EventKind.REQUEST_STOP,
        EventKind.REFUSE_ADJUSTMENT,
        EventKind.REFUSE_STOP,
        EventKind.UNDER_REVIEW,
    ):
        kwargs.setdefault("reason", "Lý do")
    if kind == EventKind.SETTLE and "amount" not in kwargs:
        kwargs["amount"] = services.build_facts(project, day=day).replay.disbursed
    return services.project_transition(
        project=project, kind=kind, effective_date=day, actor=actor, **kwargs
    )


def walk(project: Project, to: str, start: datetime.date | None = None) -> datetime.date:
    """Walk ``project`` along the main path (or to a request status) one day per step.

    Returns the date of the last step.
    """
    day = start or D(project.plan.year, 1, 10)
    if to in (Status.ADJUSTMENT_REQUESTED, Status.STOP_REQUESTED, Status.STOPPED):
        day = walk(project, Status.ASSIGNED, day)
        day += datetime.timedelta(days=1)
        kind = EventKind.REQUEST_ADJUSTMENT
        if to != Status.ADJUSTMENT_REQUESTED:
            kind = EventKind.REQUEST_STOP
        step(project, kind, day)
        if to == Status.STOPPED:
            day += datetime.timedelta(days=1)
            step(project, EventKind.APPROVE_STOP, day)
        return day
    for kind, status in MAIN_PATH:
        if project.status == to:
            break
        day += datetime.timedelta(days=1)
        if kind == "progress":
            services.record_progress(project=project, actor=SYSTEM, date=day, progress_percent=30)
        elif kind == EventKind.ACCEPT:
            services.record_progress(project=project, actor=SYSTEM, date=day, progress_percent=100)
            step(project, kind, day)
        else:
            step(project, kind, day)
        assert project.status == status
    return day
