"""Who may read the audit trail: the log (admins, department leaders, in their scope) and
each record's history (staff who may see the record itself, through its own scope)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from khuyencong.accounts import roles


def view_permission_for(model: type[models.Model]) -> str:
    """The permission to see records of ``model``: its ``view_permission`` attribute, else
    ``"<app>.view"`` when accounts.roles defines it, else the audit log's own."""
    name = getattr(model, "view_permission", None) or f"{model._meta.app_label}.view"
    return name if name in roles.PERMISSIONS else "audit.view_log"


def scoped_record(obj: Any) -> Any | None:
    """The record whose scope governs ``obj``: itself when it has scope hooks, else its first
    parent that has them (a plan version's plan); ``None`` for reference data."""
    if hasattr(type(obj), "scope_province_id"):
        return obj
    for field in obj._meta.concrete_fields:
        if field.is_relation and hasattr(field.related_model, "scope_province_id"):
            parent = getattr(obj, field.name, None)
            if parent is not None:
                return parent
    return None


def may_see_history(user: Any, obj: Any) -> roles.Decision:
    decision = roles.check(user, "audit.view_history")
    if not decision:
        return decision
    scoped = scoped_record(obj)
    # e.g. users and organisations without a province: national audit readers only
    unscoped = scoped is None and view_permission_for(type(obj)) == "audit.view_log"
    if unscoped and not roles.is_national(user):
        return roles.Decision(False, _("This record is outside your area of responsibility."))
    return roles.check(user, view_permission_for(type(obj)), scoped)
