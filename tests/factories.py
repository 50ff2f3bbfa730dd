"""Factories shared by every app's tests (keep them generic; app factories live in
tests/<app>/factories.py)."""

from __future__ import annotations

import factory

from khuyencong.accounts.models import Role, ScopeLevel, User

NATIONAL_ROLES = {Role.SYSTEM_ADMIN, Role.NATIONAL_AGENCY}


def _scope_level(user: User) -> str:
    if user.role in NATIONAL_ROLES:
        return ScopeLevel.NATIONAL
    if user.district is not None:
        return ScopeLevel.DISTRICT
    return ScopeLevel.PROVINCE


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a role and a scope: ``UserFactory(role=Role.CENTRE_STAFF, province=p)``.

    ``scope_level`` follows from what is given (national role, district, else province).
    The password is unusable (hashing with Argon2 is slow): sign in with ``client.force_login``.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Người dùng {n}")
    last_name = "Thử"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.CENTRE_STAFF
    province = None
    district = None
    beneficiary = None
    scope_level = factory.LazyAttribute(_scope_level)
    password = "!"  # unusable
