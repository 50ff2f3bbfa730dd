"""Factories for the beneficiary registry tests.

Administrative units: until ``khuyencong.places.loader`` lands, tests create the few units they
need here (legacy era, codes prefixed "T" so they never collide with official codes).
"""

from __future__ import annotations

import functools

import factory

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.taxcode import with_check_digit
from khuyencong.catalog.models import BeneficiaryKind, Industry
from khuyencong.core.text import compact, normalize
from khuyencong.places.models import AdminUnit, Era, Level


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        skip_postgeneration_save = True

    era = Era.LEGACY
    level = Level.PROVINCE
    code = factory.Sequence(lambda n: f"T{n:05d}")
    unit_type = "Tỉnh"
    short_name = factory.Sequence(lambda n: f"Thử Nghiệm {n}")
    name = factory.LazyAttribute(lambda u: f"{u.unit_type} {u.short_name}")
    key = factory.LazyAttribute(lambda u: compact(u.name))
    search_text = factory.LazyAttribute(lambda u: normalize(u.name))

    @factory.post_generation
    def own_province(obj, create, extracted, **kwargs):
        """A province is its own province (AdminUnit.province docs)."""
        if create and obj.level == Level.PROVINCE and obj.province_id is None:
            obj.province = obj
            obj.save(update_fields=["province"])


class ProvinceFactory(AdminUnitFactory):
    pass


class DistrictFactory(AdminUnitFactory):
    level = Level.DISTRICT
    unit_type = "Huyện"
    parent = factory.SubFactory(ProvinceFactory)
    province = factory.SelfAttribute("parent")


class CommuneFactory(AdminUnitFactory):
    level = Level.COMMUNE
    unit_type = "Xã"
    parent = factory.SubFactory(DistrictFactory)
    province = factory.SelfAttribute("parent.province")


def kind(code: str) -> BeneficiaryKind:
    """A seeded beneficiary kind (the catalogs come from their data migration)."""
    return BeneficiaryKind.objects.get(code=code)


def industry(code: str) -> Industry:
    return Industry.objects.get(code=code)


@functools.cache
def valid_tax_code(n: int, prefix: str = "48") -> str:
    """The n-th valid 10-digit tax code starting with ``prefix`` (skipping sequences that have
    no valid check digit). Factories use prefix 47, tests 48: the two never collide."""
    found = 0
    for sequence in range(1, 10_000_000):
        code = with_check_digit(f"{prefix}{sequence:07d}")
        if code is not None:
            found += 1
            if found == n:
                return code
    raise ValueError(n)


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    kind = factory.LazyFunction(lambda: kind("cooperative"))
    name = factory.Sequence(lambda n: f"HTX Thử Nghiệm {n}")
    tax_code = factory.Sequence(lambda n: valid_tax_code(n + 1, prefix="47"))
    commune = factory.SubFactory(CommuneFactory)
    industry = factory.LazyFunction(lambda: industry("art5_a"))
