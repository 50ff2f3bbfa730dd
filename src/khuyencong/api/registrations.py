"""Registrations (đăng ký đề án): list, read, create, edit, and the workflow steps as POSTed
events (submit with its screening, return, withdraw, the council's decision), through
registrations/services.py as the UI does."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiRefusal
from khuyencong.api.fields import (
    Count,
    Id,
    Money,
    Page,
    PageParams,
    Percent,
    Text,
    Year,
    paginate,
)
from khuyencong.api.plans import _no_such
from khuyencong.api.reference import require
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import ContentArea, FundingSource, Industry
from khuyencong.core.models import VersionConflict
from khuyencong.places.models import AdminUnit
from khuyencong.registrations import services
from khuyencong.registrations.models import Registration
from khuyencong.registrations.selectors import registration_list

router = Router(tags=["registrations"])

RegistrationStatus = Literal[
    "draft", "submitted", "returned", "withdrawn", "accepted", "rejected", "approved", ""
]
FLAGS = (
    "export_contract",
    "supporting_industry_product",
    "certified_product",
    "area_upland_border_ethnic",
    "area_poor_district",
    "area_new_rural",
    "area_difficult",
    "production_line",
)
OPTIONAL_FLAGS = ("machinery_new", "technology_new_in_district", "pollution_assessment")
AMOUNTS = (
    "total_investment",
    "requested_national",
    "requested_local",
    "requested_other",
    "counterpart",
)
PLAIN = (
    "target_year",
    "title",
    "product",
    "description",
    "registered_on",
    "planned_start",
    "planned_end",
    *AMOUNTS,
    "workforce",
    "local_raw_material_percent",
    *FLAGS,
    *OPTIONAL_FLAGS,
    "fairs_abroad_count",
)


class RegistrationOut(Schema):
    id: int
    version: int
    code: str
    status: str
    target_year: int
    funding_source: str
    content_area: str
    title: str
    beneficiary_id: int
    implementing_unit_id: int | None
    place_id: int
    province_id: int
    district_id: int | None
    industry: str | None
    product: str
    description: str
    registered_on: datetime.date
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    total_investment: int
    requested_national: int
    requested_local: int
    requested_other: int
    counterpart: int
    workforce: int
    local_raw_material_percent: int
    export_contract: bool
    supporting_industry_product: bool
    certified_product: bool
    area_upland_border_ethnic: bool
    area_poor_district: bool
    area_new_rural: bool
    area_difficult: bool
    production_line: bool
    machinery_new: bool | None
    technology_new_in_district: bool | None
    pollution_assessment: bool | None
    fairs_abroad_count: int | None
    project_id: int | None


def registration_out(row: Registration) -> dict[str, Any]:
    data = {name: getattr(row, name) for name in PLAIN}
    data.update(
        id=row.pk,
        version=row.version,
        code=row.code,
        status=row.status,
        funding_source=row.funding_source.code,
        content_area=row.content_area.code,
        beneficiary_id=row.beneficiary_id,
        implementing_unit_id=row.implementing_unit_id,
        place_id=row.place_id,
        province_id=row.province_id,
        district_id=row.district_id,
        industry=row.industry.code if row.industry_id else None,
        project_id=row.project_id,
    )
    return data


class RegistrationFilters(PageParams):
    q: Text(100) = ""  # type: ignore[valid-type]
    year: Year | None = None
    funding_source: Literal["national", "local", "other", ""] = ""
    status: RegistrationStatus = ""


def scoped(request: HttpRequest):
    return registration_list(user=request.user).select_related("industry")


@router.get(
    "/registrations",
    response={200: Page[RegistrationOut], **ERROR_RESPONSES},
    summary="List registrations (đăng ký đề án)",
)
def list_registrations(request: HttpRequest, filters: Query[RegistrationFilters]) -> dict:
    require(request, "registrations.view")
    rows = registration_list(
        user=request.user,
        filters={
            "q": filters.q,
            "year": filters.year,
            "funding_source": filters.funding_source,
            "status": filters.status,
        },
    ).select_related("industry")
    return paginate(rows, filters, registration_out)


def get_scoped(request: HttpRequest, registration_id: int) -> Registration:
    return scoped(request).get(pk=registration_id)


@router.get(
    "/registrations/{registration_id}",
    response={200: RegistrationOut, **ERROR_RESPONSES},
    summary="One registration",
)
def get_registration(request: HttpRequest, registration_id: Path[Id]) -> dict:
    require(request, "registrations.view")
    return registration_out(get_scoped(request, registration_id))


class RegistrationFields(Schema):
    """Every field optional: creation checks the required ones (the service says which)."""

    target_year: Year | None = None
    funding_source: Literal["national", "local", "other"] | None = None
    content_area: Text(40) | None = None  # type: ignore[valid-type]
    title: Text(500) | None = None  # type: ignore[valid-type]
    beneficiary_id: Id | None = None
    implementing_unit_id: Id | None = None
    place_id: Id | None = None
    industry: Text(40) | None = None  # type: ignore[valid-type]
    product: Text(500) | None = None  # type: ignore[valid-type]
    description: Text(5000) | None = None  # type: ignore[valid-type]
    registered_on: datetime.date | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    total_investment: Money | None = None
    requested_national: Money | None = None
    requested_local: Money | None = None
    requested_other: Money | None = None
    counterpart: Money | None = None
    workforce: Count | None = None
    local_raw_material_percent: Percent | None = None
    export_contract: bool | None = None
    supporting_industry_product: bool | None = None
    certified_product: bool | None = None
    area_upland_border_ethnic: bool | None = None
    area_poor_district: bool | None = None
    area_new_rural: bool | None = None
    area_difficult: bool | None = None
    production_line: bool | None = None
    machinery_new: bool | None = None
    technology_new_in_district: bool | None = None
    pollution_assessment: bool | None = None
    fairs_abroad_count: Count | None = None


NULLABLE = {"planned_start", "planned_end", "implementing_unit_id", "industry", *OPTIONAL_FLAGS}
NULLABLE |= {"fairs_abroad_count"}


def service_fields(request: HttpRequest, payload: Schema) -> dict[str, Any]:
    """The payload's fields as the service takes them (objects looked up, in scope)."""
    sent = payload.dict(exclude_unset=True)
    sent.pop("version", None)
    fields: dict[str, Any] = {}
    for name, value in sent.items():
        if value is None and name not in NULLABLE:
            continue
        if name == "funding_source":
            fields[name] = FundingSource.objects.get(code=value)
        elif name == "content_area":
            fields[name] = _catalog(ContentArea, value, "content_area")
        elif name == "industry":
            fields[name] = _catalog(Industry, value, "industry") if value else None
        elif name == "beneficiary_id":
            beneficiaries = roles.scope_queryset(
                request.user, Beneficiary.objects.active(), beneficiary="pk"
            )
            fields["beneficiary"] = _found(beneficiaries, value, "beneficiary", name)
        elif name == "implementing_unit_id":
            units = Organisation.objects.active()
            fields["implementing_unit"] = (
                _found(units, value, "organisation", name) if value else None
            )
        elif name == "place_id":
            fields["place"] = _found(AdminUnit.objects.all(), value, "place", name)
        else:
            fields[name] = value
    return fields


def _catalog(model: Any, code: str, field: str) -> Any:
    found = model.objects.active().filter(code=code).first()
    if found is None:
        raise ApiRefusal(400, _no_such("content_area"), loc=["body", field], type="invalid_choice")
    return found


def _found(queryset: Any, pk: int, what: str, field: str) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApiRefusal(400, _no_such(what), loc=["body", field], type="invalid_choice")
    return found


@router.post(
    "/registrations",
    response={201: RegistrationOut, **WRITE_RESPONSES},
    summary="Create a draft registration",
)
def create_registration(request: HttpRequest, payload: RegistrationFields) -> Status:
    require(request, "registrations.register")
    registration = services.create_registration(
        actor=request.user, **service_fields(request, payload)
    )
    return Status(201, registration_out(get_scoped(request, registration.pk)))


class RegistrationPatch(RegistrationFields):
    version: Id


@router.patch(
    "/registrations/{registration_id}",
    response={200: RegistrationOut, **WRITE_RESPONSES},
    summary="Edit a draft or returned registration",
)
def update_registration(
    request: HttpRequest, registration_id: Path[Id], payload: RegistrationPatch
) -> dict:
    require(request, "registrations.register")
    registration = get_scoped(request, registration_id)
    services.update_registration(
        registration=registration,
        actor=request.user,
        expected_version=payload.version,
        **service_fields(request, payload),
    )
    return registration_out(get_scoped(request, registration_id))


class StepIn(Schema):
    """A workflow step. ``submit`` also screens the dossier; ``accept``, ``reduce`` and
    ``reject`` are the appraisal council's decision (decision number and date; the support
    approved when reduced)."""

    version: Id
    kind: Literal["submit", "return", "withdraw", "accept", "reduce", "reject"]
    on: datetime.date | None = None
    reason: Text(5000) = ""  # type: ignore[valid-type]
    decision_number: Text(60) = ""  # type: ignore[valid-type]
    decision_date: datetime.date | None = None
    approved_support: Money | None = None
    council: Text(300) = ""  # type: ignore[valid-type]


class StepOut(Schema):
    registration: RegistrationOut
    screening_outcome: str | None = None


@router.post(
    "/registrations/{registration_id}/events",
    response={201: StepOut, **WRITE_RESPONSES},
    summary="Record a workflow step (submit, return, withdraw, the council's decision)",
)
def registration_step(request: HttpRequest, registration_id: Path[Id], payload: StepIn) -> Status:
    require(request, "registrations.view")
    registration = get_scoped(request, registration_id)
    if registration.version != payload.version:
        raise VersionConflict(registration)
    outcome = None
    common = {"registration": registration, "actor": request.user}
    if payload.kind == "submit":
        screening = services.submit_registration(
            **common, on=payload.on, expected_version=payload.version
        )
        outcome = getattr(screening, "outcome", None)
    elif payload.kind == "return":
        services.return_registration(
            **common, reason=payload.reason, on=payload.on, expected_version=payload.version
        )
    elif payload.kind == "withdraw":
        services.withdraw_registration(
            **common, reason=payload.reason, on=payload.on, expected_version=payload.version
        )
    else:
        if payload.decision_date is None:
            raise ApiRefusal(
                400,
                _no_such_date(),
                loc=["body", "decision_date"],
                type="missing",
            )
        services.decide_registration(
            **common,
            outcome=payload.kind,
            decision_number=payload.decision_number,
            decision_date=payload.decision_date,
            approved_support=payload.approved_support,
            reason=payload.reason,
            council=payload.council,
        )
    return Status(
        201,
        {
            "registration": registration_out(get_scoped(request, registration_id)),
            "screening_outcome": outcome,
        },
    )


def _no_such_date() -> str:
    return _("Give the date of the council's decision.")
