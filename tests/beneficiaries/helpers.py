"""Building POST data for the beneficiary form the way the browser would."""

from __future__ import annotations

from typing import Any

from khuyencong.beneficiaries.forms import commune_field
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.places.models import AdminUnit
from tests.beneficiaries.factories import industry, kind


def commune_value(commune: AdminUnit) -> Any:
    """What the commune chooser posts: its code (fallback text box) or pk (picker widget)."""
    return commune_field(AdminUnit.objects.all()).prepare_value(commune)


def form_data(commune: AdminUnit, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": kind("cooperative").pk,
        "name": "HTX Nông nghiệp Tân Thành",
        "tax_code": "0100233488",
        "representative": "Nguyễn Văn A",
        "address": "Thôn Bản Vẻn",
        "commune": commune_value(commune),
        "industry": industry("art5_a").pk,
        "phone": "0209 3870 000",
        "email": "htx@example.org",
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(beneficiary: Beneficiary, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": beneficiary.kind_id,
        "name": beneficiary.name,
        "tax_code": beneficiary.tax_code,
        "representative": beneficiary.representative,
        "address": beneficiary.address,
        "commune": commune_value(beneficiary.commune),
        "industry": beneficiary.industry_id or "",
        "phone": beneficiary.phone,
        "email": beneficiary.email,
        "notes": beneficiary.notes,
        "expected_version": beneficiary.version,
    }
    data.update(overrides)
    return data
