"""Factories for accounts tests: users of every role and scope, organisations, and the
beneficiaries and administrative units scope tests need (looked up by official code in the
session-wide unit data)."""

from __future__ import annotations

import factory

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel, User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.catalog.models import BeneficiaryKind
from khuyencong.places.models import AdminUnit, Era, Level

PASSWORD = "mat-khau-thu-nghiem"


def legacy(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(era=Era.LEGACY, level=level, code=code)


def current(level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(era=Era.CURRENT, level=level, code=code)


# Official codes (legacy = before 1 July 2025).
BAC_KAN, THAI_NGUYEN, CAO_BANG = "06", "19", "04"
NA_RI, BA_BE = "066", "061"
CUONG_LOI, CON_MINH, CHO_RA = "02152", "02173", "01888"  # Na Rì, Na Rì, Ba Bể


def a_commune_of(province_code: str) -> AdminUnit:
    return (
        AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, province__code=province_code)
        .order_by("code")
        .first()
    )


def current_commune(province_code: str) -> AdminUnit:
    """A commune of a current (post-July-2025) province, created if the loader has none."""
    province = current(Level.PROVINCE, province_code)
    unit = AdminUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, province=province).first()
    if unit is None:
        unit = AdminUnit.objects.create(
            era=Era.CURRENT,
            level=Level.COMMUNE,
            code=f"T{province_code}01",
            unit_type="Xã",
            name="Xã Thử Nghiệm",
            short_name="Thử Nghiệm",
            parent=province,
            province=province,
            key="xathunghiem",
            search_text="xa thu nghiem",
        )
    return unit


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.CENTRE
    name = factory.Sequence(lambda n: f"Trung tâm Khuyến công {n}")


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    kind = factory.LazyFunction(lambda: BeneficiaryKind.objects.get(code="cooperative"))
    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    commune = factory.LazyFunction(lambda: legacy(Level.COMMUNE, CUONG_LOI))


class UserFactory(factory.django.DjangoModelFactory):
    """A centre officer of legacy Bắc Kạn by default; pass role/scope/units for others."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CENTRE_STAFF
    scope_level = ScopeLevel.PROVINCE
    province = factory.LazyAttribute(
        lambda o: legacy(Level.PROVINCE, BAC_KAN) if o.scope_level == ScopeLevel.PROVINCE else None
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
