"""What a province still lacks before it can report: the set-up page's checklist."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, User
from khuyencong.places.models import AdminUnit
from khuyencong.reports.models import ReportSettings

# The roles a province needs at least one active user of before it can report.
NEEDED_ROLES = (Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF)


@dataclass(frozen=True)
class Item:
    label: str
    done: bool
    hint: str
    url: str
    permission: str


def checklist(province: AdminUnit) -> list[Item]:
    family = AdminUnit.province_family_ids(province.pk)
    kinds = set(
        Organisation.objects.active()
        .filter(province_id__in=family)
        .values_list("kind", flat=True)
        .distinct()
    )
    counts = User.objects.filter(is_active=True, province_id__in=family).aggregate(
        **{role.value: Count("pk", filter=Q(role=role)) for role in NEEDED_ROLES}
    )
    settings_row = ReportSettings.objects.active().filter(province=province).first()
    organisations = reverse("setup:organisations", args=[province.pk])
    users = reverse("setup:users", args=[province.pk])
    report = reverse("setup:report_settings", args=[province.pk])
    items = [
        Item(
            _("The Department of Industry and Trade"),
            OrganisationKind.DEPARTMENT in kinds,
            _("Add the department (Sở Công Thương) as an organisation."),
            organisations,
            "setup.organisations",
        ),
        Item(
            _("The industrial extension centre"),
            OrganisationKind.CENTRE in kinds,
            _("Add the province's khuyến công centre as an organisation."),
            organisations,
            "setup.organisations",
        ),
    ]
    items += [
        Item(
            _("At least one user: %(role)s") % {"role": role.label},
            bool(counts[role.value]),
            _("Invite a user with this role."),
            users,
            "accounts.manage_users",
        )
        for role in NEEDED_ROLES
    ]
    items += [
        Item(
            _("The report signer"),
            bool(settings_row and settings_row.signer_name),
            _("Enter who signs the province's reports."),
            report,
            "setup.report_settings",
        ),
        Item(
            _("The recipients (Nơi nhận)"),
            bool(settings_row and settings_row.recipients.strip()),
            _("Enter where the reports are sent."),
            report,
            "setup.report_settings",
        ),
        Item(
            _("The document symbol"),
            bool(settings_row and settings_row.symbol),
            _("Enter the symbol of the province's reports (e.g. BC-SCT)."),
            report,
            "setup.report_settings",
        ),
    ]
    return items
