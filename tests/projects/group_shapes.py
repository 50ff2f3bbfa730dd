"""Invented provinces of two shapes for group projects (issue 19): one with three levels
(province → district → commune, before July 2025) and one with two (province → commune,
from July 2025). Each has its centre, a department leader, four establishments and a
local plan for a period; a fifth establishment lives in another province."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.places.models import AdminUnit, Era
from khuyencong.plans.models import Plan
from khuyencong.projects import plan_services
from khuyencong.projects.models import Status
from khuyencong.projects.services import SYSTEM
from tests.beneficiaries.factories import (
    BeneficiaryFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
)
from tests.factories import UserFactory
from tests.projects import factories as pf

D = datetime.date


@dataclass
class Shape:
    name: str
    province: AdminUnit
    district: AdminUnit | None  # None: a two-level province
    communes: list[AdminUnit]
    centre: Organisation
    leader: User
    establishments: list[Beneficiary]
    foreign: Beneficiary  # of another province
    plan: Plan
    year: int  # the year the group project runs in


def shape(kind: str) -> Shape:
    """``"three_levels"``: Đông Nhóm, a 2024–2026 plan; ``"two_levels"``: Tây Nhóm, a
    2025–2026 plan, its communes directly under the province."""
    if kind == "three_levels":
        province = ProvinceFactory(short_name="Đông Nhóm")
        district = DistrictFactory(parent=province, short_name="Na Nhóm")
        communes = [CommuneFactory(parent=district, short_name=f"Nhóm {n}") for n in "ABC"]
        first, last, year = 2024, 2026, 2024
    else:
        province = ProvinceFactory(short_name="Tây Nhóm", era=Era.CURRENT)
        district = None
        communes = [
            CommuneFactory(
                parent=province, province=province, era=Era.CURRENT, short_name=f"Tây {n}"
            )
            for n in "ABC"
        ]
        first, last, year = 2025, 2026, 2025
    other = CommuneFactory(short_name=f"Xa {kind}")
    plan = plan_services.create_plan(
        actor=SYSTEM,
        province=province,
        year=first,
        end_year=last,
        funding_source=pf.source("local"),
        title=f"Kế hoạch khuyến công địa phương giai đoạn {first} – {last}",
        ceiling=5_000_000_000,
    )
    plan_services.approve_plan(
        plan=plan,
        actor=SYSTEM,
        decision_number=f"12/QĐ-UBND-{kind}",
        decision_date=D(first, 1, 1),
    )
    return Shape(
        name=kind,
        province=province,
        district=district,
        communes=communes,
        centre=Organisation.objects.create(
            kind=OrganisationKind.CENTRE,
            name=f"Trung tâm Khuyến công tỉnh {province.short_name}",
            province=province,
        ),
        leader=UserFactory(role=Role.DEPARTMENT_LEADER, province=province),
        establishments=[
            BeneficiaryFactory(name=f"Cơ sở {province.short_name} {n}", commune=communes[n % 3])
            for n in range(4)
        ],
        foreign=BeneficiaryFactory(name=f"Cơ sở ngoại tỉnh {kind}", commune=other),
        plan=plan,
        year=year,
    )


def approve(project: Any, year: int) -> datetime.date:
    """Appraise and approve ``project`` in January of ``year``; the approval's date."""
    pf.step(project, "appraise", D(year, 1, 10))
    pf.step(project, "approve", D(year, 1, 12))
    assert project.status == Status.APPROVED
    return D(year, 1, 12)


# The services' refusals (projects.services._validate_kind, projects.groups.add_member),
# which the form and the API must both show word for word
REFUSALS = {
    "group_with_beneficiary": (
        "A group project names no beneficiary: add its participants by decision once it is "
        "approved."
    ),
    "single_without_beneficiary": "A project for one beneficiary needs its beneficiary.",
    "before_approval": "Participants are added once the group project is approved.",
    "over_support": (
        "The participants' support would reach %(total)s, above the project's support of "
        "%(support)s."
    ),
    "over_group_size": "The approval plans %(count)s participants: all are attached.",
    "other_province": "The beneficiary is outside the project's province.",
    "duplicate": "This beneficiary already takes part in the project.",
}


def refusal(key: str, **values: Any) -> str:
    """The refusal in Vietnamese, as the user reads it."""
    from django.utils import translation

    with translation.override("vi"):
        text = translation.gettext(REFUSALS[key])
    assert text != REFUSALS[key], f"untranslated: {key}"
    return text % values if values else text
