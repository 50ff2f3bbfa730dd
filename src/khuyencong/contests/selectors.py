"""Reads of the product vote: lists in the user's scope, results, certificates.

``has_valid_certificate`` is the hook for eligibility screening: a certified outstanding
product is a priority of Decree 45/2012 Art. 6 / TT 46/2012 Art. 6 ("sản phẩm CNNT tiêu biểu
được chứng nhận"); the screening rule (registrations app) asks it for the beneficiary.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from typing import Any

from django.db.models import Q, QuerySet

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.contests.models import Certificate, Contest, ContestStatus, Entry

CONTEST_SCOPE = {"province": "province", "district": "district", "beneficiary": None}
ENTRY_SCOPE = {
    "province": "beneficiary__province",
    "district": "beneficiary__district",
    "beneficiary": "beneficiary",
}
CERTIFICATE_SCOPE = ENTRY_SCOPE
EXPIRY_WARNING_DAYS = 90


def contest_list(user: Any) -> QuerySet[Contest]:
    """Contests the user may see: their area's (regional and national contests are seen by
    national users); for a jury member, the contests whose jury or panel they sit on; for an
    establishment, those open for registration in its province and those it entered."""
    queryset = Contest.objects.select_related("area", "project", "organiser")
    role = roles.role_of(user)
    if role == Role.BENEFICIARY:
        # an establishment sees the contests open in its province and those it entered
        beneficiary = user.beneficiary
        if beneficiary is None:
            return queryset.none()
        return queryset.filter(
            Q(status=ContestStatus.REGISTRATION, province_id=beneficiary.province_id)
            | Q(entries__beneficiary=beneficiary)
        ).distinct()
    if role == Role.JURY_MEMBER:
        return queryset.filter(
            Q(judges__user=user, judges__archived_at__isnull=True)
            | Q(jury__user=user, jury__archived_at__isnull=True)
        ).distinct()
    return roles.scope_queryset(user, queryset, **CONTEST_SCOPE)


def can_see_contest(user: Any, contest: Contest) -> bool:
    return contest_list(user).filter(pk=contest.pk).exists()


def entries_of(contest: Contest) -> QuerySet[Entry]:
    return (
        contest.entries.active()
        .select_related("beneficiary__commune", "product_group", "certificate")
        .order_by("product_group__sort_order", "product_name", "pk")
    )


def results_by_group(contest: Contest) -> list[tuple[Any, list[Entry]]]:
    """Eligible entries grouped by product group, ranked (unranked last). Only meaningful once
    the panel is closed (the views show it then)."""
    entries = (
        contest.entries.eligible()
        .select_related("beneficiary", "product_group", "certificate")
        .order_by("product_group__sort_order", "rank_in_group", "product_name", "pk")
    )
    groups: OrderedDict[int, tuple[Any, list[Entry]]] = OrderedDict()
    for entry in entries:
        groups.setdefault(entry.product_group_id, (entry.product_group, []))[1].append(entry)
    for _group, members in groups.values():
        members.sort(key=lambda e: (e.rank_in_group is None, e.rank_in_group or 0))
    return list(groups.values())


def certificates_of(beneficiary: Any) -> QuerySet[Certificate]:
    return (
        Certificate.objects.active()
        .filter(beneficiary=beneficiary)
        .select_related("contest")
        .order_by("-issued_on", "number")
    )


def has_valid_certificate(beneficiary: Any, day: datetime.date) -> bool:
    """Priority for khuyến công support: the establishment holds a certificate valid on
    ``day`` (any level)."""
    beneficiary_id = getattr(beneficiary, "pk", beneficiary)
    return Certificate.objects.valid_on(day).filter(beneficiary_id=beneficiary_id).exists()


def certificate_list(user: Any) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related(
        "beneficiary__province", "beneficiary__district", "contest"
    )
    return roles.scope_queryset(user, queryset, **CERTIFICATE_SCOPE)


def expiring_certificates(
    user: Any, day: datetime.date, within_days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[Certificate]:
    """Certificates in the user's scope that expire within ``within_days`` after ``day``."""
    end = day + datetime.timedelta(days=within_days)
    return certificate_list(user).expiring_between(day, end).order_by("valid_until", "number")


def find_certificate(number: str) -> Certificate | None:
    """The public verification: a certificate by its exact number (case-insensitive)."""
    number = (number or "").strip()
    if not number or len(number) > 40:
        return None
    return (
        Certificate.objects.active()
        .select_related("beneficiary__commune__parent__parent", "contest", "entry__product_group")
        .filter(number__iexact=number)
        .first()
    )
