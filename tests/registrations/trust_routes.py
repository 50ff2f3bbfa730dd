"""Trust-walk registrations of the registration pages (đăng ký đề án) and the plan-building
pages, with world factories for a registration (a draft, so every step page has something to
do) and an attachment of it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile

from khuyencong.accounts import roles
from khuyencong.catalog.models import ContentArea, FundingSource, Industry
from tests.trust.routes import Route, register, register_download
from tests.trust.world import World, marker, world_object

D = datetime.date
M = 1_000_000


@world_object("registration")
def _registration(world: World, side: str) -> Any:
    from khuyencong.projects.services import SYSTEM
    from khuyencong.registrations import services

    beneficiary = world.obj("beneficiary", side)
    registration = services.create_registration(
        actor=SYSTEM,
        target_year=2019,
        funding_source=FundingSource.objects.get(code="local"),
        content_area=ContentArea.objects.get(code="machinery"),
        title=f"Đăng ký {marker(side, 'registration')}",
        beneficiary=beneficiary,
        implementing_unit=world.obj("centre", side),
        place=world.sides[side].commune,
        industry=Industry.objects.get(code="art5_d"),
        product=f"Sản phẩm {marker(side, 'registration')}",
        description=f"Mô tả {marker(side, 'registration')}",
        registered_on=D(2018, 5, 15),
        planned_start=D(2019, 3, 1),
        planned_end=D(2019, 11, 30),
        total_investment=200 * M,
        requested_local=80 * M,
        counterpart=120 * M,
        machinery_new=True,
        workforce=12,
    )
    world.secret("registration", side, registration.code)
    return registration


@world_object("registration_attachment")
def _attachment(world: World, side: str) -> Any:
    from khuyencong.projects.services import SYSTEM
    from khuyencong.registrations import services

    body = b"%PDF-1.4\n% " + marker(side, "registration_attachment").encode() + b"\n%%EOF\n"
    return services.add_attachment(
        registration=world.obj("registration", side),
        actor=SYSTEM,
        title=f"Hồ sơ {marker(side, 'registration_attachment')}",
        file=ContentFile(body, name=f"ho-so-{side}.pdf"),
    )


def _group(world: World, side: str, plan: Any) -> dict[str, Any]:
    """The plan-building page of the world plan's province, year and source."""
    return {"province": plan.province_id, "year": plan.year, "source": plan.funding_source.code}


def _plan_view(user: Any, plan: Any) -> bool:
    """The view checks ``plans.view`` on the province of the group."""
    return roles.check(user, "plans.view", plan.province).allowed


def _attach_data(world: World, side: str, registration: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "title": "Giấy chứng nhận",
        "file": SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n%%EOF\n"),
    }


register(
    Route("registrations:list", "registrations.view", shows=("registration",)),
    Route("registrations:create", "registrations.register"),
    Route("registrations:rules", "registrations.view"),
    Route(
        "registrations:detail",
        "registrations.view",
        obj="registration",
        unversioned=(
            "its forms add rows (an attachment) or take a workflow step (submit, return, "
            "withdraw) guarded by the status: a second, concurrent step is refused by the "
            "workflow table, nothing stored is overwritten"
        ),
    ),
    Route("registrations:edit", "registrations.register", obj="registration"),
    Route("registrations:submit", "registrations.register", obj="registration", method="post"),
    Route(
        "registrations:return",
        "registrations.receive",
        obj="registration",
        method="post",
        data={"reason": "Thiếu giấy tờ"},
    ),
    Route(
        "registrations:withdraw",
        "registrations.register",
        obj="registration",
        method="post",
        data={"reason": "Không thực hiện nữa"},
    ),
    Route("registrations:screen", "registrations.receive", obj="registration", method="post"),
    Route(
        "registrations:appraise",
        "registrations.appraise",
        obj="registration",
        unversioned=(
            "each appraiser records their own sheet (a new row; recording again archives "
            "only that appraiser's earlier sheet): no other writer's input is overwritten"
        ),
    ),
    Route(
        "registrations:decide",
        "registrations.decide",
        obj="registration",
        unversioned=(
            "the council's decision is a workflow step from “submitted” only: a second, "
            "concurrent decision is refused by the workflow table"
        ),
    ),
    Route(
        "registrations:attach",
        "registrations.register",
        obj="registration",
        method="post",
        data=_attach_data,
    ),
    Route("registrations:attachment", "registrations.view", obj="registration_attachment"),
    Route("registrations:plans", "plans.view"),
    Route("registrations:plan", "plans.view", obj="plan", kwargs=_group, allow=_plan_view),
    Route("registrations:summary_sheet", "plans.view", obj="plan", kwargs=_group, allow=_plan_view),
)

register_download("registrations.RegistrationAttachment.file", "registrations:attachment")
