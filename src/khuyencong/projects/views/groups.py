"""A group project's participants: add one, or record that one leaves (forms calling
``projects.groups.add_member`` / ``end_membership``, permission ``projects.group_members``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from khuyencong.projects import groups
from khuyencong.projects.forms import MemberEndForm, MemberForm
from khuyencong.projects.models import GroupMember
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
    refusal_field,
)

# the services' refusal codes that name a field of these forms under another name
ALIASES = {"decision": "decision_number"}


def _field(form: Any, code: str) -> str | None:
    return refusal_field(form, ALIASES.get(code, code))


class MemberAddView(ProjectFormView):
    template_name = "projects/member_form.html"
    form_class = MemberForm
    action_permission = "projects.group_members"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(project=self.project, user=self.request.user)
        return kwargs

    def form_valid(self, form: MemberForm) -> HttpResponse:
        try:
            member = groups.add_member(
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
            form.add_error(_field(form, refused.code), refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s takes part in the project.") % {"name": member.beneficiary.name},
        )
        return redirect("projects:detail", self.project.pk)


class MemberEndView(ProjectFormView):
    template_name = "projects/member_form.html"
    form_class = MemberEndForm
    action_permission = "projects.group_members"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.member = get_object_or_404(
            GroupMember.objects.active().select_related("beneficiary"),
            pk=kwargs["member"],
            project_id=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["member"] = self.member
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context

    def form_valid(self, form: MemberEndForm) -> HttpResponse:
        try:
            groups.end_membership(
                member=self.member,
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
                **form.service_fields(),
            )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            return self.form_invalid(form)
        except Refused as refused:
            form.add_error(_field(form, refused.code), refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s no longer takes part in the project.")
            % {"name": self.member.beneficiary.name},
        )
        return redirect("projects:detail", self.project.pk)
