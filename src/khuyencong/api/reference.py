"""Read-only reference data: the caller, the catalogs and the administrative units."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema

from khuyencong.accounts import roles
from khuyencong.api.errors import ERROR_RESPONSES, ApiRefusal
from khuyencong.api.fields import Id, Page, PageParams, Text, paginate
from khuyencong.catalog.models import (
    BeneficiaryKind,
    ContentArea,
    FundingSource,
    Industry,
    LegalBasis,
)
from khuyencong.places.models import AdminUnit
from khuyencong.places.queries import unit_search

router = Router(tags=["reference"])


def require(request: HttpRequest, permission: str, obj: object = None) -> None:
    decision = roles.check(request.user, permission, obj)
    if not decision:
        raise ApiRefusal(403, decision.reason, type="permission")


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    scope_level: str
    province_id: int | None
    district_id: int | None
    beneficiary_id: int | None


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="The signed-in user")
def me(request: HttpRequest) -> dict:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": roles.role_of(user) or "",
        "scope_level": user.scope_level,
        "province_id": user.province_id,
        "district_id": user.district_id,
        "beneficiary_id": user.beneficiary_id,
    }


class CatalogEntryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    is_active: bool
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    parent_code: str | None = None


CATALOGS = {
    "funding-sources": FundingSource,
    "content-areas": ContentArea,
    "industries": Industry,
    "beneficiary-kinds": BeneficiaryKind,
}
CatalogName = Literal["funding-sources", "content-areas", "industries", "beneficiary-kinds"]


@router.get(
    "/catalogs/{catalog}",
    response={200: list[CatalogEntryOut], **ERROR_RESPONSES},
    summary="A catalog (funding sources, content areas, industries, beneficiary kinds)",
)
def catalog(request: HttpRequest, catalog: Path[CatalogName]) -> list[dict]:
    require(request, "catalog.view")
    model = CATALOGS[catalog]
    rows = model.objects.active()
    if model is ContentArea:
        rows = rows.select_related("parent")
    return [
        {
            "id": row.pk,
            "code": row.code,
            "name": row.name,
            "name_en": row.name_en,
            "is_active": row.is_active,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "parent_code": row.parent.code if getattr(row, "parent_id", None) else None,
        }
        for row in rows
    ]


class LegalBasisOut(Schema):
    id: int
    code: str
    number: str
    doc_type: str
    issued_on: datetime.date
    issuer: str
    title: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


@router.get(
    "/legal-bases",
    response={200: list[LegalBasisOut], **ERROR_RESPONSES},
    summary="Legal bases (decrees and circulars)",
)
def legal_bases(request: HttpRequest) -> list[LegalBasis]:
    require(request, "catalog.view")
    return list(LegalBasis.objects.active().order_by("issued_on", "code"))


class AdminUnitOut(Schema):
    id: int
    era: str
    level: str
    code: str
    unit_type: str
    name: str
    short_name: str
    parent_id: int | None
    province_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    full_path: str


def unit_out(unit: AdminUnit) -> dict:
    return {
        "id": unit.pk,
        "era": unit.era,
        "level": unit.level,
        "code": unit.code,
        "unit_type": unit.unit_type,
        "name": unit.name,
        "short_name": unit.short_name,
        "parent_id": unit.parent_id,
        "province_id": unit.province_id,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "full_path": unit.full_path,
    }


class UnitFilters(PageParams):
    q: Text(100) = ""  # type: ignore[valid-type]
    level: Literal["province", "district", "commune", ""] = ""
    era: Literal["legacy", "current", ""] = ""
    code: Text(8) = ""  # type: ignore[valid-type]
    province: Id | None = None
    parent: Id | None = None
    on: datetime.date | None = None


@router.get(
    "/places/units",
    response={200: Page[AdminUnitOut], **ERROR_RESPONSES},
    summary="Administrative units (search without accents, by level, era, province, date)",
)
def units(request: HttpRequest, filters: Query[UnitFilters]) -> dict:
    require(request, "places.view")
    if filters.q:
        rows = unit_search(filters.q, level=filters.level or None, on=filters.on)
    else:
        rows = AdminUnit.objects.with_path().in_hierarchy_order()
        if filters.level:
            rows = rows.filter(level=filters.level)
        if filters.on:
            rows = rows.valid_on(filters.on)
    if filters.era:
        rows = rows.filter(era=filters.era)
    if filters.code:
        rows = rows.filter(code=filters.code)
    if filters.province:
        rows = rows.filter(province_id=filters.province)
    if filters.parent:
        rows = rows.filter(parent_id=filters.parent)
    return paginate(rows, filters, unit_out)


@router.get(
    "/places/units/{unit_id}",
    response={200: AdminUnitOut, **ERROR_RESPONSES},
    summary="One administrative unit",
)
def unit(request: HttpRequest, unit_id: Path[Id]) -> dict:
    require(request, "places.view")
    return unit_out(get_object_or_404(AdminUnit.objects.with_path(), pk=unit_id))
