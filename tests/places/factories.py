"""Test data for the places tests: users (the units themselves come from the session load)."""

from __future__ import annotations

import factory

from khuyencong.accounts.models import Role, ScopeLevel, User
from khuyencong.places.models import AdminUnit, Era, Level


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"places-user-{n}")
    role = Role.CENTRE_STAFF
    scope_level = ScopeLevel.PROVINCE
    password = factory.django.Password("a-long-test-password")


def unit(era: str, level: str, name: str, parent_short: str | None = None) -> AdminUnit:
    """One loaded unit by full name (and its parent's short name when names repeat)."""
    queryset = AdminUnit.objects.with_path().filter(era=era, level=level, name=name)
    if parent_short is not None:
        queryset = queryset.filter(parent__short_name=parent_short)
    return queryset.get()


def cuong_loi_legacy() -> AdminUnit:
    return unit(Era.LEGACY, Level.COMMUNE, "Xã Cường Lợi", "Na Rì")


def bac_kan_legacy() -> AdminUnit:
    return unit(Era.LEGACY, Level.PROVINCE, "Tỉnh Bắc Kạn")


def thai_nguyen_current() -> AdminUnit:
    return unit(Era.CURRENT, Level.PROVINCE, "Tỉnh Thái Nguyên")
