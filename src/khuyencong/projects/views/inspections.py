"""Inspections (kiểm tra, giám sát): the list across projects (overdue follow-ups flagged and
filterable), and the create/edit forms (``services.create_inspection`` / ``update_inspection``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.core.views import FilteredListView
from khuyencong.projects import services
from khuyencong.projects.forms import InspectionFilter, InspectionForm
from khuyencong.projects.models import Inspection
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
    refusal_field,
)

INSPECTION_SCOPE = {
    "province": "project__province",
    "district": "project__district",
    "beneficiary": "project__beneficiary",
}


class InspectionListView(FilteredListView):
    """Inspections of every project the user sees; ``?follow_up=overdue`` lists the overdue
    follow-ups (open, deadline passed)."""

    model = Inspection
    permission = "projects.view"
    filterset_class = InspectionFilter
    scope_lookups = INSPECTION_SCOPE
    search_field = "project__search_text"
    template_name = "projects/inspection_list.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .active()
            .filter(project__archived_at__isnull=True)
            .select_related("project__province", "project__place")
            .order_by("follow_up_deadline", "planned_date", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        context["today"] = today
        context["rows"] = [
            (inspection, inspection.is_overdue(today)) for inspection in context["object_list"]
        ]
        return context


class InspectionCreateView(ProjectFormView):
    template_name = "projects/inspection_form.html"
    form_class = InspectionForm
    action_permission = "projects.inspect"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def form_valid(self, form: InspectionForm) -> HttpResponse:
        try:
            services.create_inspection(
                project=self.project,
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
                **form.service_fields(),
            )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.form_invalid(form)
        except Refused as refused:
            form.add_error(refusal_field(form, refused.code), refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Inspection recorded."))
        return redirect("projects:detail", self.project.pk)


class InspectionUpdateView(ProjectFormView):
    """Edit an inspection (its project's scope and ``projects.inspect`` apply)."""

    template_name = "projects/inspection_form.html"
    form_class = InspectionForm
    action_permission = "projects.inspect"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = roles.scope_queryset(
            request.user, Inspection.objects.active(), **INSPECTION_SCOPE
        )
        self.inspection = get_object_or_404(visible.select_related("project"), pk=kwargs["pk"])
        kwargs["pk"] = self.inspection.project_id
        self.kwargs = {**kwargs}
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(project=self.project, instance=self.inspection)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["inspection"] = self.inspection
        return context

    def form_valid(self, form: InspectionForm) -> HttpResponse:
        try:
            services.update_inspection(
                inspection=self.inspection,
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
                **form.service_fields(),
            )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            return self.form_invalid(form)
        except Refused as refused:
            form.add_error(refusal_field(form, refused.code), refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("projects:detail", self.inspection.project_id)
