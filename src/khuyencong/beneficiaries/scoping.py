"""Administrative units a user may pick or filter by: those of the communes in their scope.

Derived from ``accounts.roles.scope_queryset`` over communes (no role is compared here), so a
province user gets their province (and any merged into it), a district officer their district,
a national user everything, a beneficiary user nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from khuyencong.accounts import roles
from khuyencong.places.models import AdminUnit


def communes_in_scope(user: Any) -> QuerySet[AdminUnit]:
    return roles.scope_queryset(
        user,
        AdminUnit.objects.communes(),
        province="province",
        district="parent",
        beneficiary=None,
    )


def districts_in_scope(user: Any) -> QuerySet[AdminUnit]:
    parents = communes_in_scope(user).values("parent_id")
    return AdminUnit.objects.districts().filter(pk__in=parents)


def provinces_in_scope(user: Any) -> QuerySet[AdminUnit]:
    provinces = communes_in_scope(user).values("province_id")
    return AdminUnit.objects.provinces().filter(pk__in=provinces)
