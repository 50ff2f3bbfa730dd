"""Plan pages: the list, a plan with its figures and projects as of a date, its decisions and
(national plans) its allocation batches, and the forms to create, edit, submit, approve and
adjust/supplement a plan and to record a batch (``projects.plan_services``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.core.bounds import YearFilter
from khuyencong.core.forms import StyledForm
from khuyencong.core.views import FilteredListView, PermissionMixin, ScopedDetailView
from khuyencong.plans.models import Plan, PlanKind, PlanStatus
from khuyencong.projects import plan_services as services
from khuyencong.projects.columns import PLAN_EXPORT
from khuyencong.projects.forms import AsOfForm
from khuyencong.projects.forms.plans import (
    AllocationForm,
    PlanApproveForm,
    PlanCreateForm,
    PlanEditForm,
    PlanVersionForm,
)
from khuyencong.projects.plan_selectors import (
    allocation_rows,
    plan_figures,
    plan_figures_many,
)
from khuyencong.projects.plan_services import Refused, VersionConflict
from khuyencong.projects.selectors import Phase, phase_counts, plan_states
from khuyencong.projects.views import as_of_from
from khuyencong.projects.views.common import (
    conflict_message,
    keep_input_with_version,
    with_reasons,
)

PLAN_SCOPE = {"province": "province", "district": None, "beneficiary": None}


class PlanFilter(django_filters.FilterSet):
    # a year inside the plan's period: a 2024–2026 plan is listed for 2025
    year = YearFilter(label=gettext_lazy("Year"), method="in_period")
    funding_source = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Funding source"),
        queryset=FundingSource.objects.active(),
        to_field_name="code",
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind of plan"), choices=PlanKind.choices)

    def in_period(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        return queryset.for_year(value) if value else queryset

    class Meta:
        model = Plan
        fields: list[str] = []
        form = StyledForm


class PlanListView(FilteredListView):
    model = Plan
    permission = "plans.view"
    filterset_class = PlanFilter
    scope_lookups = PLAN_SCOPE
    template_name = "plans/plan_list.html"
    export_columns = PLAN_EXPORT
    export_filename = "ke-hoach"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .active()
            .select_related("province", "funding_source")
            .order_by("-year", "province__name", "funding_source__sort_order")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plans = list(context["object_list"])
        figures = plan_figures_many(plans)
        context["rows"] = [(plan, figures[plan.pk]) for plan in plans]
        context["can_create"] = roles.check(self.request.user, "plans.manage")
        return context


@dataclass(frozen=True)
class PlanAction:
    key: str
    label: str
    url: str
    decision: roles.Decision
    method: str = "get"  # "post" for a one-click action (submit)
    primary: bool = False
    reason_id: str = ""


def who_may(user: Any, permission: str, plan: Plan) -> roles.Decision:
    """``roles.check``: its refusal names the roles that can do it."""
    return roles.check(user, permission, plan)


def plan_actions(user: Any, plan: Plan) -> dict[str, Any]:
    """What may be done to the plan in its status, each with the user's decision on it."""
    manage = roles.check(user, "plans.manage", plan)
    approve = who_may(user, f"plans.approve_{plan.fund}", plan)
    actions = [PlanAction("edit", _("Edit details"), reverse("plans:edit", args=[plan.pk]), manage)]
    if plan.status == PlanStatus.DRAFT:
        actions.append(
            PlanAction(
                "submit",
                _("Submit for approval"),
                reverse("plans:submit", args=[plan.pk]),
                manage,
                method="post",
                primary=True,
            )
        )
    if plan.status != PlanStatus.APPROVED:
        actions.append(
            PlanAction(
                "approve",
                _("Record the approval"),
                reverse("plans:approve", args=[plan.pk]),
                approve,
                primary=plan.status == PlanStatus.SUBMITTED,
            )
        )
    else:
        actions.append(
            PlanAction(
                "version",
                _("Adjust or supplement"),
                reverse("plans:add_version", args=[plan.pk]),
                approve,
            )
        )
    if services.allocation_problem(plan) is None:
        actions.append(
            PlanAction(
                "allocate",
                _("Record an allocation batch"),
                reverse("plans:allocate", args=[plan.pk]),
                approve,
            )
        )
    actions.append(
        PlanAction(
            "register",
            _("Register a project in this plan"),
            f"{reverse('projects:create')}?plan={plan.pk}",
            roles.check(user, "projects.register", plan),
        )
    )
    (actions,), reasons = with_reasons(actions)
    return {"buttons": actions, "reasons": reasons}


class PlanDetailView(ScopedDetailView):
    model = Plan
    permission = "plans.view"
    scope_lookups = PLAN_SCOPE
    template_name = "plans/plan_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().active().select_related("province", "funding_source")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_of = as_of_from(self.request)
        states = plan_states(self.object, as_of)
        counts = phase_counts(state for _project, state in states)
        context.update(
            as_of=as_of,
            as_of_form=AsOfForm(self.request.GET or None),
            figures=plan_figures(self.object, as_of),
            versions=self.object.versions.order_by("number"),
            allocations=(
                allocation_rows(self.object)
                if services.allocation_problem(self.object) is None
                else None
            ),
            rows=states,
            phase_counts=[(Phase.LABELS[p], counts[p]) for p in Phase.LABELS if counts.get(p)],
            actions=plan_actions(self.request.user, self.object),
        )
        return context


# --------------------------------------------------------------------------- forms


class PlanCreateView(PermissionMixin, FormView):
    permission = "plans.manage"
    template_name = "plans/plan_form.html"
    form_class = PlanCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: PlanCreateForm) -> HttpResponse:
        try:
            plan = services.create_plan(actor=self.request.user, **form.cleaned_data)
        except Refused as refused:
            field = refused.code if refused.code in form.fields else None
            form.add_error(field if refused.code != "duplicate" else "year", refused.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan created: %(title)s") % {"title": plan.title})
        return redirect("plans:detail", plan.pk)


class PlanFormView(PermissionMixin, FormView):
    """A form on one plan: 404 outside the user's scope, 403 without the action's
    permission (``action_permission``, where "{fund}" is national or local)."""

    permission = "plans.view"
    action_permission = ""
    template_name = "plans/plan_action_form.html"
    page_label = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        plans = roles.scope_queryset(request.user, Plan.objects.active(), **PLAN_SCOPE)
        self.plan = get_object_or_404(
            plans.select_related("province", "funding_source"), pk=kwargs["pk"]
        )
        decision = roles.check(
            request.user, self.action_permission.format(fund=self.plan.fund), self.plan
        )
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.plan,
            page_label=self.page_label,
            figures=plan_figures(self.plan, datetime.date.today()),
        )
        return context

    def call(self, form: Any) -> str:
        """Run the service; return the success message."""
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            message = self.call(form)
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.plan.refresh_from_db()
            return self.form_invalid(form)
        except Refused as refused:
            form.add_error(refused.code if refused.code in form.fields else None, refused.message)
            self.plan.refresh_from_db()
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("plans:detail", self.plan.pk)


class PlanUpdateView(PlanFormView):
    action_permission = "plans.manage"
    form_class = PlanEditForm
    page_label = gettext_lazy("Edit details")

    def call(self, form: PlanEditForm) -> str:
        data = form.cleaned_data
        services.update_plan(
            plan=self.plan,
            actor=self.request.user,
            expected_version=data["expected_version"],
            title=data["title"],
            approving_authority=data["approving_authority"],
            notes=data["notes"],
            **{
                name: data[name] or (self.plan.year if name == "end_year" else self.plan.kind)
                for name in ("end_year", "kind")
                if name in form.fields
            },
        )
        return _("Saved.")


class PlanApproveView(PlanFormView):
    action_permission = "plans.approve_{fund}"
    form_class = PlanApproveForm
    page_label = gettext_lazy("Record the approval")

    def get_form_kwargs(self) -> dict[str, Any]:
        original = self.plan.versions.filter(number=1).first()
        return {**super().get_form_kwargs(), "proposed": original.ceiling if original else 0}

    def call(self, form: PlanApproveForm) -> str:
        data = form.cleaned_data
        services.approve_plan(
            plan=self.plan,
            actor=self.request.user,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            effective_date=data.get("effective_date"),
            approving_authority=data.get("approving_authority", ""),
            ceiling=data.get("ceiling"),
            expected_version=data["expected_version"],
        )
        return _("Approval recorded: %(number)s.") % {"number": data["decision_number"]}


class PlanVersionCreateView(PlanFormView):
    action_permission = "plans.approve_{fund}"
    form_class = PlanVersionForm
    page_label = gettext_lazy("Adjust or supplement")

    def get_form_kwargs(self) -> dict[str, Any]:
        current = self.plan.current_version
        return {
            **super().get_form_kwargs(),
            "current_ceiling": current.ceiling if current else 0,
        }

    def call(self, form: PlanVersionForm) -> str:
        data = form.cleaned_data
        version = services.add_plan_version(
            plan=self.plan,
            actor=self.request.user,
            kind=data["kind"],
            ceiling=data["ceiling"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            effective_date=data.get("effective_date"),
            reason=data.get("reason", ""),
            issuer=data.get("issuer", ""),
            expected_version=data["expected_version"],
        )
        return _("%(kind)s %(number)s recorded.") % {
            "kind": version.get_kind_display(),
            "number": version.decision_number,
        }


class AllocationCreateView(PlanFormView):
    """A batch (đợt) assigned by the national agency's letter or decision; on a local plan
    the form says why none can be recorded (``services.allocation_problem``)."""

    action_permission = "plans.approve_{fund}"
    form_class = AllocationForm
    page_label = gettext_lazy("Record an allocation batch")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["problem"] = services.allocation_problem(self.plan)
        return context

    def call(self, form: AllocationForm) -> str:
        data = form.cleaned_data
        allocation = services.record_allocation(
            plan=self.plan,
            actor=self.request.user,
            batch=data["batch"],
            document_kind=data["document_kind"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            issuer=data["issuer"],
            amount=data["amount"],
            notes=data.get("notes", ""),
        )
        return _("Batch %(batch)s recorded: %(number)s.") % {
            "batch": allocation.batch,
            "number": allocation.document_number,
        }


class PlanSubmitView(PermissionMixin, View):
    """POST only: a draft plan goes to approval (``services.submit_plan``)."""

    permission = "plans.view"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plans = roles.scope_queryset(request.user, Plan.objects.active(), **PLAN_SCOPE)
        plan = get_object_or_404(plans, pk=pk)
        decision = roles.check(request.user, "plans.manage", plan)
        if not decision:
            raise PermissionDenied(decision.reason)
        version = request.POST.get("expected_version", "")
        try:
            services.submit_plan(
                plan=plan,
                actor=request.user,
                expected_version=int(version) if version.isdigit() else None,
            )
        except VersionConflict as conflict:
            messages.error(request, conflict_message(conflict.current))
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Plan submitted for approval."))
        return redirect("plans:detail", plan.pk)
