"""Register and edit a project (``services.create_project`` / ``services.update_project``), and
the beneficiary search behind the form's picker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView

from khuyencong.accounts import roles
from khuyencong.core.bounds import parse_id
from khuyencong.core.search import search
from khuyencong.core.views import PermissionMixin
from khuyencong.projects import services
from khuyencong.projects.forms import ProjectForm, beneficiaries_for, plans_for
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
    refusal_field,
)

BENEFICIARY_SEARCH_LIMIT = 20


class ProjectCreateView(PermissionMixin, FormView):
    """Register a project; ``?plan=<pk>`` preselects a plan (from the plan page)."""

    permission = "projects.register"
    template_name = "projects/project_form.html"
    form_class = ProjectForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        plan_id = parse_id(self.request.GET.get("plan"))
        if self.request.method != "POST" and plan_id is not None:
            plan = plans_for(self.request.user).filter(pk=plan_id).first()
            if plan is not None:
                kwargs["initial"] = {**kwargs.get("initial", {}), "plan": plan}
        return kwargs

    def form_valid(self, form: ProjectForm) -> HttpResponse:
        try:
            project = services.create_project(actor=self.request.user, **form.create_arguments())
        except Refused as refused:
            form.add_error(
                refusal_field(form, getattr(refused, "field", refused.code)), refused.message
            )
            return self.form_invalid(form)
        messages.success(self.request, _("Project %(code)s registered.") % {"code": project.code})
        return redirect("projects:detail", project.pk)


class ProjectUpdateView(ProjectFormView):
    template_name = "projects/project_form.html"
    form_class = ProjectForm
    action_permission = "projects.edit"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.project)
        return kwargs

    def form_valid(self, form: ProjectForm) -> HttpResponse:
        try:
            services.update_project(
                project=self.project, actor=self.request.user, **form.update_arguments()
            )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form, current=self.project))
        except Refused as refused:
            form.add_error(
                refusal_field(form, getattr(refused, "field", refused.code)), refused.message
            )
            self.reload_project()
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("projects:detail", self.project.pk)


@login_required
def beneficiary_search(request: HttpRequest) -> HttpResponse:
    """The beneficiary picker's search: ?q= -> up to 20 beneficiaries of the user's area."""
    decision = roles.check(request.user, "projects.register")
    if not decision:
        decision = roles.check(request.user, "projects.edit")
    if not decision:
        raise PermissionDenied(decision.reason)
    query = request.GET.get("q", "").strip()[:100]
    found: list[Any] = []
    if query:
        rows = search(
            beneficiaries_for(request.user).select_related("kind", "commune__parent"), query
        )
        found = list(rows.order_by("name", "pk")[: BENEFICIARY_SEARCH_LIMIT + 1])
    return render(
        request,
        "projects/_beneficiary_results.html",
        {
            "query": query,
            "beneficiaries": found[:BENEFICIARY_SEARCH_LIMIT],
            "more": len(found) > BENEFICIARY_SEARCH_LIMIT,
        },
    )
