"""Stand-in for ``khuyencong.catalog.seed`` (catalog branch): only the rows the demo and the
infra tests use, by their fixed codes. Idempotent."""

from __future__ import annotations

from khuyencong.catalog.models import BeneficiaryKind, FundingSource, Industry

KINDS = [
    ("sme", "Doanh nghiệp nhỏ và vừa", "SME", "DNNVV", True),
    ("cooperative", "Hợp tác xã", "Cooperative", "HTX", True),
    ("cooperative_group", "Tổ hợp tác", "Cooperative group", "THT", False),
    ("household", "Hộ kinh doanh", "Household business", "HKD", False),
    ("cooperative_union", "Liên hiệp hợp tác xã", "Union of cooperatives", "LHHTX", True),
    ("other", "Khác", "Other", "", False),
]
INDUSTRIES = ["art5_a", "art5_b", "art5_c", "art5_d", "art5_dd", "art5_e", "art5_g"]
SOURCES = [
    ("national", "Khuyến công quốc gia", "KCQG"),
    ("local", "Khuyến công địa phương", "KCĐP"),
    ("other", "Nguồn khác", ""),
]


def seed_catalogs() -> None:
    for order, (code, name, name_en, short, tax) in enumerate(KINDS):
        BeneficiaryKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "short_name": short,
                "tax_code_required": tax,
                "sort_order": order,
            },
        )
    for order, code in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(
            code=code, defaults={"name": f"Ngành {code}", "sort_order": order}
        )
    for order, (code, name, short) in enumerate(SOURCES):
        FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "sort_order": order}
        )
