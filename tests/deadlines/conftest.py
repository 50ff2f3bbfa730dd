"""An invented province (Lạng Sơn, legacy units) with its centre, department and staff, and
the helpers the deadline tests share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel, User
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.plans.models import Plan
from tests.projects import factories as pf

D = datetime.date


@dataclass
class Place:
    province: AdminUnit
    commune: AdminUnit
    centre_user: User
    leader: User


def _place(short_name: str, tag: str) -> Place:
    province = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name=short_name)
    commune = (
        AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, province=province)
        .order_by("code")
        .first()
    )
    Organisation.objects.create(
        kind=OrganisationKind.CENTRE, name=f"Trung tâm Khuyến công {short_name}", province=province
    )
    centre_user = User.objects.create(
        username=f"canbo-{tag}",
        role=Role.CENTRE_STAFF,
        scope_level=ScopeLevel.PROVINCE,
        province=province,
        email=f"canbo-{tag}@example.vn",
    )
    leader = User.objects.create(
        username=f"lanhdao-{tag}",
        role=Role.DEPARTMENT_LEADER,
        scope_level=ScopeLevel.PROVINCE,
        province=province,
    )
    return Place(province, commune, centre_user, leader)


@pytest.fixture
def lang_son(db) -> Place:
    return _place("Lạng Sơn", "ls")


@pytest.fixture
def ca_mau(db) -> Place:
    return _place("Cà Mau", "cm")


def project_in(place: Place, year: int, **kwargs: Any) -> Any:
    """A registered project of the province's main plan of ``year`` (made on first use)."""
    source = kwargs.pop("source", "local")
    plan = Plan.objects.filter(
        province=place.province, year=year, funding_source__code=source
    ).first() or pf.make_plan(year=year, unit=place.province, source_code=source)
    return pf.make_project(plan, place=place.commune, **kwargs)
