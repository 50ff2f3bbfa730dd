"""What a project may refer to: the plans, organisations, beneficiaries and places a user may
choose, and the one check that refuses any other.

The project form offers these choices; ``check`` refuses any other in the services, so the
API and the imports hold the rule the page holds (an id typed into a request cannot name
another province's organisation as implementing unit). Registrations check their own choices
with the same function (``registrations.services``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan

OUT_OF_AREA = "out_of_area"

MESSAGES: dict[str, Any] = {
    "plan": _("Choose a plan of your area of responsibility."),
    "implementing_unit": _("Choose an implementing unit of your area of responsibility."),
    "beneficiary": _("Choose a beneficiary of your area of responsibility."),
    "place": _("Choose a place in your area of responsibility."),
}


class OutOfArea(Refused):
    """A reference the actor may not choose; ``field`` names it (the API answers 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message, OUT_OF_AREA)
        self.field = field


def plans_for(user: Any) -> QuerySet[Plan]:
    return (
        roles.scope_queryset(user, Plan.objects.active(), district=None, beneficiary=None)
        .select_related("province", "funding_source")
        .order_by("-year", "province__name", "title")
    )


def beneficiaries_for(user: Any) -> QuerySet[Beneficiary]:
    return roles.scope_queryset(
        user, Beneficiary.objects.active(), beneficiary="pk"
    ).select_related("commune")


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """Implementing units a user may choose: those of their province (a district officer's
    too: organisations have no district), every one for national users."""
    organisations = Organisation.objects.active().order_by("name")
    if roles.is_national(user):
        return organisations
    return organisations.filter(province_id__in=roles.province_ids(user))


def places_for(user: Any) -> QuerySet[AdminUnit]:
    """Administrative units a user may place a project at (any level, in their area)."""
    units = AdminUnit.objects.all()
    if roles.is_national(user):
        return units
    if user.district_id:
        return units.filter(Q(pk=user.district_id) | Q(parent_id=user.district_id))
    return units.filter(province_id__in=roles.province_ids(user))


def check(
    choices: Mapping[str, tuple[Any, QuerySet]], messages: Mapping[str, Any] = MESSAGES
) -> None:
    """Refuse (``OutOfArea``) the first reference that is not among its choices.

    ``choices``: field -> (the record chosen or None, the queryset of those allowed)."""
    for field, (chosen, allowed) in choices.items():
        if chosen is not None and not allowed.filter(pk=chosen.pk).exists():
            raise OutOfArea(field, str(messages[field]))


def check_project(actor: Any, **chosen: Any) -> None:
    """A project's references (any of ``plan``, ``implementing_unit``, ``beneficiary``,
    ``place``) among those ``actor`` may choose."""
    allowed = {
        "plan": plans_for,
        "implementing_unit": organisations_for,
        "beneficiary": beneficiaries_for,
        "place": places_for,
    }
    check({field: (value, allowed[field](actor)) for field, value in chosen.items()})
