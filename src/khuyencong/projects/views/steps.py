"""The project's steps: one form per lifecycle transition, and the progress form.

Each form calls one service (``project_transition`` / ``record_progress``) with the version
the user saw. A refusal (``lifecycle.Refused``) is shown as a form error and nothing is saved;
a conflict (``VersionConflict``) keeps the input and shows the current situation. A file
attached to the step is stored in the same transaction (``services.add_document``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.core.money import percent_of
from khuyencong.projects import lifecycle, procedure, services
from khuyencong.projects.forms import ProgressForm, TransitionForm
from khuyencong.projects.forms.steps import day_in_plan
from khuyencong.projects.models import AdvanceCapRule, EventKind, Status
from khuyencong.projects.selectors import state_of
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
)

DOCUMENTS_PERMISSION = "projects.documents"


def _attach(form: Any, project: Any, user: Any, *, doc_type: str, title: str, **owner: Any) -> None:
    file = form.cleaned_data.get("attachment")
    if not file:
        return
    services.add_document(
        project=project,
        expected_version=project.version,  # as the step just left it, in the same transaction
        actor=user,
        doc_type=doc_type,
        title=form.cleaned_data.get("attachment_title") or title,
        file=file,
        **owner,
    )


class TransitionView(ProjectFormView):
    """GET: the form of one step; POST: record it (``services.project_transition``)."""

    template_name = "projects/step_form.html"
    form_class = TransitionForm

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.row = lifecycle.BY_KIND.get(kwargs["kind"])
        if self.row is None or self.row.kind == lifecycle.BASELINE:  # the import's only
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def action_decision(self) -> roles.Decision:
        # the services' answer on the day the form offers (the province's rule of that day)
        day = day_in_plan(self.project, state_of(self.project))
        return procedure.check(self.request.user, self.project, self.row.kind, day)

    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.project.status not in self.row.sources:
            try:
                lifecycle.check_legal(self.row, self.project.status)
            except Refused as refused:
                messages.error(request, refused.message)
            return redirect("projects:detail", self.project.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            project=self.project,
            row=self.row,
            state=state_of(self.project),
            can_attach=roles.allowed(self.request.user, DOCUMENTS_PERMISSION, self.project),
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            step_label=EventKind(self.row.kind).label,
            state=state_of(self.project),
            row=self.row,
            target_label=Status(self.row.target).label if self.row.target in Status.values else "",
        )
        return context

    def form_valid(self, form: TransitionForm) -> HttpResponse:
        user = self.request.user
        label = EventKind(self.row.kind).label
        try:
            with transaction.atomic():
                event = services.project_transition(
                    project=self.project, actor=user, **form.service_arguments()
                )
                number = form.cleaned_data.get("document_number")
                _attach(
                    form,
                    self.project,
                    user,
                    doc_type=form.attachment_type,
                    title=f"{label} {number}".strip(),
                    number=number or "",
                    date=form.cleaned_data.get("document_date"),
                    event=event,
                )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form, conflict=True))
        except Refused as refused:
            form.add_error(None, refused.message)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            self.request,
            _("Recorded: %(step)s on %(date)s.")
            % {"step": label, "date": lifecycle.day_text(event.effective_date)},
        )
        return redirect("projects:detail", self.project.pk)


def advance_room(project: Any, state: Any, day: datetime.date) -> dict[str, Any] | None:
    """The advance cap in force on ``day`` and how much may still be advanced (for the form)."""
    rule = AdvanceCapRule.rule_on(day, project.funding_source_code)
    if rule is None:
        return {"day": day, "rule": None}

    cap = percent_of(state.plan_budget, rule.percent)
    return {
        "day": day,
        "rule": rule,
        "support": state.plan_budget,
        "cap": cap,
        "advanced": state.advanced,
        "room": max(cap - state.advanced, 0),
    }


def payment_due(state: Any) -> int:
    """What may be paid in all once accepted (as ``lifecycle.check_progress`` reckons it)."""
    if state.settled_amount is not None:
        return state.settled_amount
    if state.accepted_amount is not None:
        return state.accepted_amount
    return state.plan_budget


class ProgressView(ProjectFormView):
    """Work done and money disbursed (``services.record_progress``), with the advance cap."""

    template_name = "projects/progress_form.html"
    form_class = ProgressForm
    action_permission = lifecycle.PROGRESS_PERMISSION

    def action_decision(self) -> roles.Decision:
        day = day_in_plan(self.project, state_of(self.project))
        return procedure.check(self.request.user, self.project, procedure.PROGRESS, day)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            project=self.project,
            state=state_of(self.project),
            can_attach=roles.allowed(self.request.user, DOCUMENTS_PERMISSION, self.project),
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        day = datetime.date.today()
        if form.is_bound and form.is_valid():
            day = form.cleaned_data["date"]
        state = state_of(self.project)
        context.update(
            state=state,
            advance=advance_room(self.project, state, day),
            accepting=state.status in lifecycle.PAYMENT_STATUSES,
            payment_due=payment_due(state),
        )
        return context

    def form_valid(self, form: ProgressForm) -> HttpResponse:
        user = self.request.user
        try:
            with transaction.atomic():
                row = services.record_progress(
                    project=self.project, actor=user, **form.service_arguments()
                )
                _attach(
                    form,
                    self.project,
                    user,
                    doc_type=form.cleaned_data.get("attachment_type") or "other",
                    title=_("Progress %(percent)s %% on %(date)s")
                    % {"percent": row.progress_percent, "date": lifecycle.day_text(row.date)},
                    date=row.date,
                    progress_update=row,
                )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form))
        except Refused as refused:
            form.add_error(None, refused.message)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form, refused=refused))
        messages.success(
            self.request,
            _("Progress recorded: %(percent)s %% on %(date)s.")
            % {"percent": row.progress_percent, "date": lifecycle.day_text(row.date)},
        )
        return redirect("projects:detail", self.project.pk)
