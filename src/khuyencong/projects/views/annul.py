"""Annulling or correcting a recorded event or progress entry (issue 20), in two POSTs: the
first checks everything (the service with ``dry_run``) and shows what will be recorded; the
second, with ``confirm``, records it. A refusal is a form error and nothing is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import HiddenInput
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from khuyencong.projects import lifecycle, services
from khuyencong.projects.forms.annul import AnnulForm, CorrectForm
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
)


class AnnulView(ProjectFormView):
    """Annul an event (``record="event"``) or a progress entry (``record="progress"``)."""

    template_name = "projects/annul_form.html"
    form_class: Any = AnnulForm
    action_permission = lifecycle.ANNUL_PERMISSION
    record = "event"
    correcting = False

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        self.record_pk = kwargs["record"]
        return super().dispatch(request, *args, **kwargs)

    def get_record(self) -> Any:
        related = self.project.events if self.record == "event" else self.project.progress_updates
        # an annulled record too: the service says it is already annulled (a second tab)
        return get_object_or_404(related.all(), pk=self.record_pk)

    def get_form_kwargs(self) -> dict[str, Any]:
        self.target = self.get_record()
        kwargs = super().get_form_kwargs()
        kwargs["version"] = self.project.version
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            target_label=services.record_label(self.target),
            correcting=self.correcting,
            page_label=_("Correct a step") if self.correcting else _("Annul a record"),
        )
        return context

    def call(self, form: Any, *, dry_run: bool) -> Any:
        arguments = {
            "project": self.project,
            "actor": self.request.user,
            "reason": form.cleaned_data["reason"],
            "expected_version": form.cleaned_data["expected_version"],
            "dry_run": dry_run,
        }
        if self.record == "progress":
            return services.annul_progress(progress_update=self.target, **arguments)
        return services.annul_event(event=self.target, **arguments)

    def form_valid(self, form: Any) -> HttpResponse:
        confirmed = form.cleaned_data.get("confirm")
        try:
            annulment = self.call(form, dry_run=not confirmed)
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form))
        except Refused as refused:
            form.add_error(None, refused.message)
            self.reload_project()
            return self.render_to_response(self.get_context_data(form=form))
        if not confirmed:
            data = form.data.copy()
            data["confirm"] = "on"
            form.data = data
            for name, field in form.fields.items():  # what is confirmed is what was checked
                if name not in ("confirm", "expected_version"):
                    field.widget = HiddenInput()
            return self.render_to_response(
                self.get_context_data(form=form, preview=self.preview(form, annulment))
            )
        messages.success(self.request, self.done_message(annulment))
        return redirect("projects:detail", self.project.pk)

    def preview(self, form: Any, annulment: Any) -> str:
        return _("Will annul “%(record)s”; reason: %(reason)s") % {
            "record": services.record_label(self.target),
            "reason": form.cleaned_data["reason"],
        }

    def done_message(self, annulment: Any) -> str:
        return _("Annulled: %(record)s.") % {"record": services.record_label(self.target)}


class ProgressAnnulView(AnnulView):
    record = "progress"


class CorrectView(AnnulView):
    """Correct an event: the same step with corrected values, in the original's place."""

    form_class = CorrectForm
    correcting = True

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["event"] = self.target
        return kwargs

    def call(self, form: Any, *, dry_run: bool) -> Any:
        return services.correct_event(
            project=self.project,
            event=self.target,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
            dry_run=dry_run,
            **form.changes(),
        )

    def preview(self, form: Any, annulment: Any) -> str:
        return _(
            "Will annul “%(record)s” and record in its place “%(correction)s”; reason: %(reason)s"
        ) % {
            "record": services.record_label(self.target),
            "correction": services.record_label(annulment.replacement),
            "reason": form.cleaned_data["reason"],
        }

    def done_message(self, annulment: Any) -> str:
        return _("Corrected: %(record)s.") % {
            "record": services.record_label(annulment.replacement)
        }
