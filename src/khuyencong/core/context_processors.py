from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

# The navigation: (label, url name, permission, description). Areas still to come point to a
# placeholder page until their app lands.
NAVIGATION = [
    (
        _("To-do"),
        "deadlines:todo",
        "deadlines.view",
        _("What is due this week and what is late, for your role."),
    ),
    (
        _("Dashboard"),
        "dashboard:index",
        "dashboard.view",
        _("Projects and money at a glance, by status, year, content area and district."),
    ),
    (_("Plans"), "plans:list", "plans.view", _("Annual plans per funding source.")),
    (
        _("Registrations"),
        "registrations:list",
        "registrations.view",
        _("Registrations for next year's plan, screening and appraisal."),
    ),
    (
        _("Projects"),
        "projects:list",
        "projects.view",
        _("Projects from registration to settlement."),
    ),
    (
        _("Beneficiaries"),
        "beneficiaries:list",
        "beneficiaries.view",
        _("Rural industrial establishments and other beneficiaries."),
    ),
    (
        _("Product vote"),
        "contests:list",
        "contests.view",
        _("Outstanding rural industrial products: contests, scoring, certificates."),
    ),
    (
        _("Events"),
        "events:list",
        "events.view",
        _("Training conferences, trade fairs and study tours."),
    ),
    (_("Reports"), "reports:index", "reports.view", _("Progress reports on the plans.")),
    (
        _("Import"),
        "spreadsheets:index",
        "imports.beneficiaries",
        _("Import beneficiaries, projects and progress from Excel."),
    ),
    (
        _("Catalogs"),
        "catalog:index",
        "catalog.view",
        _("Funding sources, content areas, industries, legal bases."),
    ),
    (_("Audit log"), "trust:log", "audit.view_log", _("Who changed what, when and from where.")),
    (
        _("Set-up"),
        "setup:index",
        "setup.view",
        _("The province's organisations, users and report settings."),
    ),
    (_("Administration"), "admin:index", "admin.site", _("Users, organisations and settings.")),
]


# Navigation items with a count loaded after the page (htmx): url name -> the count's url name
NAV_BADGES = {"deadlines:todo": "deadlines:count"}


# The language switch: each language named in itself ("Tiếng Việt", "English"), NFC-composed
# (Django's own names use combining accents).
LANGUAGE_CHOICES = [
    (code, unicodedata.normalize("NFC", get_language_info(code)["name_local"]))
    for code, _name in settings.LANGUAGES
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "language_choices": LANGUAGE_CHOICES}
    path = request.path
    items = []
    for label, url_name, permission, description in NAVIGATION:
        if not user.holds_permission(permission):
            continue
        url = reverse(url_name)
        items.append(
            {
                "label": label,
                "url": url,
                "description": description,
                "active": path.startswith(url) and url != "/",
                "badge_url": reverse(NAV_BADGES[url_name]) if url_name in NAV_BADGES else "",
            }
        )
    return {
        "language_choices": LANGUAGE_CHOICES,
        "nav_items": items,
        "user_role_label": user.get_role_display(),
        "user_scope_label": user.scope_label,
    }
