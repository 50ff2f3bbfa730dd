"""What the project screens share: loading a project in the user's scope, the action check
(403 with the reason from ``accounts.roles``), and the messages for refusals and conflicts."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import FormView

from khuyencong.accounts import roles
from khuyencong.core.views import PermissionMixin
from khuyencong.projects.forms import AsOfForm
from khuyencong.projects.models import Project

PROJECT_SCOPE = {"province": "province", "district": "district", "beneficiary": "beneficiary"}


def as_of_from(request: HttpRequest) -> datetime.date | None:
    form = AsOfForm(request.GET)
    return form.cleaned_data.get("as_of") if form.is_valid() else None


def projects_in_scope(user: Any) -> QuerySet:
    return roles.scope_queryset(user, Project.objects.active(), **PROJECT_SCOPE).select_related(
        "plan__funding_source",
        "plan__province",
        "content_area",
        "beneficiary__kind",
        "implementing_unit",
        "place__parent__parent",
    )


def conflict_message(current: Any) -> str:
    if isinstance(current, Project):
        # every record on a project raises its version: a second tab or a double click on
        # a form opened before lands here, and the user must see what was recorded meanwhile
        return _(
            "Someone else changed this project (now version %(version)s) after you opened the "
            "form: nothing was saved. Check the timeline first (the same payment may already "
            "be recorded), then submit again only if it is still needed."
        ) % {"version": current.version}
    return _(
        "Someone else recorded a change on this record (now version %(version)s) after you "
        "opened the form. Nothing was saved. Your input is kept below: check the current "
        "situation, then submit again to record it."
    ) % {"version": current.version}


def keep_input_with_version(form: Any, version: int) -> None:
    """After a conflict: keep what the user typed, carry the version they have now seen."""
    data = form.data.copy()
    data["expected_version"] = str(version)
    form.data = data


def refusal_field(form: Any, code: str) -> str | None:
    """The form field a refusal is about, when its code names one (else the whole form)."""
    aliases = {
        "dates": "end_date",
        "date_within_plan_years": "registered_on",
        "follow_up": "follow_up_deadline",
    }
    name = aliases.get(code, code)
    return name if name in form.fields else None


def with_reasons(*groups: list[Any]) -> tuple[list[list[Any]], list[tuple[str, str, list[str]]]]:
    """Disabled actions point to one line per distinct reason: (id, reason, action labels)."""
    reasons: dict[str, tuple[str, list[str]]] = {}
    result = []
    for group in groups:
        updated = []
        for action in group:
            if not action.decision.allowed:
                key = action.decision.reason
                if key not in reasons:
                    reasons[key] = (f"reason-{len(reasons) + 1}", [])
                reasons[key][1].append(action.label)
                action = replace(action, reason_id=reasons[key][0])
            updated.append(action)
        result.append(updated)
    return result, [(ident, reason, labels) for reason, (ident, labels) in reasons.items()]


class ProjectFormView(PermissionMixin, FormView):
    """A form on one project: 404 outside the user's scope, 403 (with the reason) without
    ``action_permission`` on it (``action_decision`` may be overridden)."""

    permission = "projects.view"
    action_permission = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = get_object_or_404(projects_in_scope(request.user), pk=kwargs["pk"])
        decision = self.action_decision()
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def action_decision(self) -> roles.Decision:
        return roles.check(self.request.user, self.action_permission, self.project)

    def reload_project(self) -> None:
        """Read the project again (after a refusal or a conflict: show what is stored)."""
        self.project = projects_in_scope(self.request.user).get(pk=self.project.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context
