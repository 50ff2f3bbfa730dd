from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles

# The navigation: (label, url name, permission). Areas still to come point to a placeholder.
NAVIGATION = [
    (_("Plans"), "plans:list", "beneficiaries.view"),
    (_("Projects"), "projects:list", "beneficiaries.view"),
    (_("Beneficiaries"), "beneficiaries:list", "beneficiaries.view"),
    (_("Reports"), "reports:index", "beneficiaries.view"),
    (_("Catalogs"), "catalog:index", "catalog.view"),
    (_("Administration"), "admin:index", "admin.site"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for label, url_name, permission in NAVIGATION:
        if not roles.has_permission(user, permission):
            continue
        url = reverse(url_name)
        items.append({"label": label, "url": url, "active": path.startswith(url) and url != "/"})
    return {"nav_items": items, "user_role_label": user.get_role_display()}
