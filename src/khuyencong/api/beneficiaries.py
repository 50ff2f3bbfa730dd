"""Beneficiaries: the same list filters, form rules (tax code, duplicates) and scope as the UI."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from khuyencong.accounts import roles
from khuyencong.api.errors import ERROR_RESPONSES, WRITE_RESPONSES, ApiRefusal, FieldErrors
from khuyencong.api.fields import Id, Page, PageParams, Text, paginate
from khuyencong.api.reference import require
from khuyencong.beneficiaries import duplicates
from khuyencong.beneficiaries.filters import BeneficiaryFilterSet
from khuyencong.beneficiaries.forms import BeneficiaryForm
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind, Industry
from khuyencong.core.models import VersionConflict
from khuyencong.core.search import search

router = Router(tags=["beneficiaries"])
SCOPE = {"province": "province", "district": "district", "beneficiary": "pk"}


class BeneficiaryOut(Schema):
    id: int
    version: int
    kind: str
    name: str
    tax_code: str
    representative: str
    address: str
    commune_id: int
    district_id: int | None
    province_id: int
    industry: str | None
    phone: str
    email: str
    notes: str
    archived: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


def beneficiary_out(row: Beneficiary) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "kind": row.kind.code,
        "name": row.name,
        "tax_code": row.tax_code,
        "representative": row.representative,
        "address": row.address,
        "commune_id": row.commune_id,
        "district_id": row.district_id,
        "province_id": row.province_id,
        "industry": row.industry.code if row.industry_id else None,
        "phone": row.phone,
        "email": row.email,
        "notes": row.notes,
        "archived": row.archived_at is not None,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


class BeneficiaryFilters(PageParams):
    q: Text(100) = ""  # type: ignore[valid-type]
    kind: Id | None = None
    province: Id | None = None
    district: Id | None = None
    industry: Id | None = None
    archived: Literal["yes", "no"] = "no"
    ordering: Literal["name", "-name", "created_at", "-created_at", "tax_code", "-tax_code"] = (
        "name"
    )


def scoped(request: HttpRequest):
    queryset = roles.scope_queryset(request.user, Beneficiary.objects.all(), **SCOPE)
    return queryset.select_related("kind", "industry")


def filtered_beneficiaries(request: HttpRequest, filters: BeneficiaryFilters):
    """The list page's filter set and search, on the same scoped queryset."""
    data = QueryDict(mutable=True)
    for name in ("kind", "province", "district", "industry", "archived"):
        value = getattr(filters, name)
        if value not in (None, ""):
            data[name] = str(value)
    filterset = BeneficiaryFilterSet(data, queryset=scoped(request), request=request)
    if not filterset.is_valid():
        raise FieldErrors(
            [
                {"loc": ["query", name], "msg": str(message), "type": "invalid_choice"}
                for name, messages in filterset.errors.items()
                for message in messages
            ]
        )
    return search(filterset.qs, filters.q)


@router.get(
    "/beneficiaries",
    response={200: Page[BeneficiaryOut], **ERROR_RESPONSES},
    summary="List beneficiaries (the registry page's filters)",
)
def list_beneficiaries(request: HttpRequest, filters: Query[BeneficiaryFilters]) -> dict:
    require(request, "beneficiaries.view")
    rows = filtered_beneficiaries(request, filters).order_by(filters.ordering, "pk")
    return paginate(rows, filters, beneficiary_out)


def get_scoped(request: HttpRequest, beneficiary_id: int) -> Beneficiary:
    return scoped(request).get(pk=beneficiary_id)  # DoesNotExist -> 404


@router.get(
    "/beneficiaries/{beneficiary_id}",
    response={200: BeneficiaryOut, **ERROR_RESPONSES},
    summary="One beneficiary",
)
def get_beneficiary(request: HttpRequest, beneficiary_id: Path[Id]) -> dict:
    require(request, "beneficiaries.view")
    return beneficiary_out(get_scoped(request, beneficiary_id))


class BeneficiaryIn(Schema):
    kind: Text(40)  # type: ignore[valid-type]
    name: Text(255)  # type: ignore[valid-type]
    tax_code: Text(32) = ""  # type: ignore[valid-type]
    representative: Text(120) = ""  # type: ignore[valid-type]
    address: Text(255) = ""  # type: ignore[valid-type]
    commune_id: Id
    industry: Text(40) | None = None  # type: ignore[valid-type]
    phone: Text(32) = ""  # type: ignore[valid-type]
    email: Text(254) = ""  # type: ignore[valid-type]
    notes: Text(5000) = ""  # type: ignore[valid-type]
    confirm_duplicates: bool = False


class BeneficiaryPatch(Schema):
    """Only the fields sent change; ``version`` is the one the client read (409 if stale)."""

    version: Id
    kind: Text(40) | None = None  # type: ignore[valid-type]
    name: Text(255) | None = None  # type: ignore[valid-type]
    tax_code: Text(32) | None = None  # type: ignore[valid-type]
    representative: Text(120) | None = None  # type: ignore[valid-type]
    address: Text(255) | None = None  # type: ignore[valid-type]
    commune_id: Id | None = None
    industry: Text(40) | None = None  # type: ignore[valid-type]
    phone: Text(32) | None = None  # type: ignore[valid-type]
    email: Text(254) | None = None  # type: ignore[valid-type]
    notes: Text(5000) | None = None  # type: ignore[valid-type]
    confirm_duplicates: bool = False


class VersionIn(Schema):
    version: Id


FORM_FIELDS = (
    "kind",
    "name",
    "tax_code",
    "representative",
    "address",
    "commune",
    "industry",
    "phone",
    "email",
    "notes",
)


def _catalog_pk(model: Any, code: str | None, field: str) -> str:
    if not code:
        return ""
    pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise ApiRefusal(
            400,
            _("Unknown code “%(code)s”.") % {"code": code},
            loc=["body", field],
            type="invalid_choice",
        )
    return str(pk)


def form_data(values: dict[str, Any]) -> QueryDict:
    data = QueryDict(mutable=True)
    data["kind"] = _catalog_pk(BeneficiaryKind, values["kind"], "kind")
    data["industry"] = _catalog_pk(Industry, values.get("industry"), "industry")
    data["commune"] = str(values["commune_id"])
    for name in ("name", "tax_code", "representative", "address", "phone", "email", "notes"):
        data[name] = values.get(name) or ""
    if values.get("confirm_duplicates"):
        data["confirm_duplicates"] = "true"
    if values.get("version") is not None:
        data["expected_version"] = str(values["version"])
    return data


API_FIELD = {"commune": "commune_id", "__all__": "body"}


def _form_errors(form: BeneficiaryForm) -> FieldErrors:
    items = []
    for name, errors in form.errors.as_data().items():
        for error in errors:
            message = " ".join(error.messages)
            loc = ["body"] if name == "__all__" else ["body", API_FIELD.get(name, name)]
            items.append({"loc": loc, "msg": message, "type": error.code or "invalid"})
    for duplicate in form.duplicates:
        items.append(
            {
                "loc": ["body", "confirm_duplicates"],
                "msg": f"{duplicate.beneficiary.name} (#{duplicate.beneficiary.pk}): "
                f"{duplicate.reason_label}",
                "type": "possible_duplicate",
            }
        )
    for label in form.hidden_duplicates:  # outside the user's scope: which record is not said
        items.append(
            {"loc": ["body", "confirm_duplicates"], "msg": label, "type": "possible_duplicate"}
        )
    return FieldErrors(items)


def _save(form: BeneficiaryForm) -> Beneficiary:
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        raise ApiRefusal(
            400,
            _("Another active beneficiary already has this tax code."),
            loc=["body", "tax_code"],
            type="taken",
        ) from None


@router.post(
    "/beneficiaries",
    response={201: BeneficiaryOut, **WRITE_RESPONSES},
    summary="Register a beneficiary",
)
def create_beneficiary(request: HttpRequest, payload: BeneficiaryIn) -> Status:
    require(request, "beneficiaries.create")
    form = BeneficiaryForm(form_data(payload.dict()), user=request.user)
    if not form.is_valid():
        raise _form_errors(form)
    form.instance.locate()
    require(request, "beneficiaries.create", form.instance)
    row = _save(form)
    return Status(201, beneficiary_out(scoped(request).get(pk=row.pk)))


def current_values(row: Beneficiary) -> dict[str, Any]:
    values = beneficiary_out(row)
    values.pop("id")
    return values


@router.patch(
    "/beneficiaries/{beneficiary_id}",
    response={200: BeneficiaryOut, **WRITE_RESPONSES},
    summary="Edit a beneficiary (optimistic version check)",
)
def update_beneficiary(
    request: HttpRequest, beneficiary_id: Path[Id], payload: BeneficiaryPatch
) -> dict:
    require(request, "beneficiaries.edit")
    row = get_scoped(request, beneficiary_id)
    require(request, "beneficiaries.edit", row)
    if row.archived_at is not None:
        raise ApiRefusal(400, _("This record is archived."), loc=["path"], type="archived")
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    values = {**current_values(row), **changes}
    form = BeneficiaryForm(form_data(values), instance=row, user=request.user)
    if not form.is_valid():
        raise _form_errors(form)
    _save(form)  # VersionConflict -> 409
    return beneficiary_out(get_scoped(request, beneficiary_id))


def _archive(request: HttpRequest, beneficiary_id: int, version: int, restore: bool) -> dict:
    require(request, "beneficiaries.archive")
    row = get_scoped(request, beneficiary_id)
    require(request, "beneficiaries.archive", row)
    with transaction.atomic():
        locked = Beneficiary.objects.select_for_update().get(pk=row.pk)
        if locked.version != version:
            raise VersionConflict(locked)
        if restore:
            owner = duplicates.active_tax_code_owner(locked.tax_code, exclude_pk=locked.pk)
            if owner is not None:
                raise ApiRefusal(
                    400,
                    duplicates.restore_refused(request.user, locked.tax_code, owner),
                    loc=["body"],
                    type="taken",
                )
            locked.archived_at = None
        else:
            locked.archived_at = locked.archived_at or timezone.now()
        locked.version += 1
        locked.save(update_fields=["archived_at", "version", "updated_at"])
    return beneficiary_out(get_scoped(request, beneficiary_id))


@router.post(
    "/beneficiaries/{beneficiary_id}/archive",
    response={200: BeneficiaryOut, **WRITE_RESPONSES},
    summary="Archive a beneficiary (never deleted)",
)
def archive_beneficiary(request: HttpRequest, beneficiary_id: Path[Id], payload: VersionIn) -> dict:
    return _archive(request, beneficiary_id, payload.version, restore=False)


@router.post(
    "/beneficiaries/{beneficiary_id}/restore",
    response={200: BeneficiaryOut, **WRITE_RESPONSES},
    summary="Restore an archived beneficiary",
)
def restore_beneficiary(request: HttpRequest, beneficiary_id: Path[Id], payload: VersionIn) -> dict:
    return _archive(request, beneficiary_id, payload.version, restore=True)
