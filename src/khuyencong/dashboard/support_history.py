"""The beneficiary page's support history: its registrations, the projects supporting it by
year and funding source with their amounts, its product certificates, the events it attended,
and the double-support warnings (the rule: projects.support).

Composed here, above every app it reads (beneficiaries cannot import them), and added to the
beneficiary page as a panel (beneficiaries.panels, registered in DashboardConfig.ready). Each
part is shown only to users who may see it, in their scope; a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from khuyencong.accounts import roles
from khuyencong.contests.selectors import certificates_of
from khuyencong.events.models import Participant
from khuyencong.projects import support
from khuyencong.projects.models import GroupMember, Project
from khuyencong.registrations.models import Registration

SCOPE = {"province": "province", "district": "district", "beneficiary": "beneficiary"}
THROUGH_PROJECT = {
    "province": "project__province",
    "district": "project__district",
    "beneficiary": "beneficiary",
}
THROUGH_EVENT = {"province": "event__province", "district": "event__district", "beneficiary": None}


@dataclass
class History:
    registrations: list[Any] | None = None  # None: the user may not see them
    supports: list[support.Support] | None = None
    warnings: list[support.DoubleSupport] = field(default_factory=list)
    certificates: list[Any] | None = None
    attended: list[Any] | None = None

    @property
    def total_support(self) -> int:
        return sum(item.amount for item in self.supports or [])

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.registrations, self.supports, self.certificates, self.attended, self.warnings)
        )


def support_history(user: Any, beneficiary: Any) -> History:
    history = History()
    if roles.allowed(user, "registrations.view"):
        registrations = roles.scope_queryset(user, Registration.objects.active(), **SCOPE)
        history.registrations = list(
            registrations.filter(beneficiary=beneficiary)
            .select_related("funding_source", "content_area")
            .order_by("-target_year", "code")
        )
    if roles.allowed(user, "projects.view"):
        projects = roles.scope_queryset(user, Project.objects.all(), **SCOPE)
        members = roles.scope_queryset(user, GroupMember.objects.all(), **THROUGH_PROJECT)
        history.supports = support.beneficiary_supports(beneficiary, projects, members)
        history.warnings = support.double_supports(history.supports)
    if roles.allowed(user, "contests.view") or roles.allowed(user, "contests.register_entry"):
        today = timezone.localdate()
        history.certificates = list(certificates_of(beneficiary))
        for certificate in history.certificates:
            certificate.is_valid_today = certificate.is_valid_on(today)
    if roles.allowed(user, "events.view"):
        participants = roles.scope_queryset(user, Participant.objects.active(), **THROUGH_EVENT)
        history.attended = list(
            participants.filter(beneficiary=beneficiary, event__archived_at__isnull=True)
            .select_related("event")
            .order_by("-event__start_date", "event__pk")
        )
    return history


def panel(request: HttpRequest, beneficiary: Any) -> str:
    """The beneficiary page's section (beneficiaries.panels)."""
    history = support_history(request.user, beneficiary)
    openable = {
        item.project.pk
        for item in history.supports or []
        if roles.allowed(request.user, "projects.view", item.project)
    }
    return render_to_string(
        "dashboard/_support_history.html",
        {"history": history, "beneficiary": beneficiary, "openable": openable},
        request=request,
    )
