"""Registration pages: list, detail (screening, priority, appraisal), create, edit, workflow
steps, appraisal sheet, council decision, attachments. Thin: rules in ``services``,
permissions in ``accounts.roles``."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from khuyencong.accounts import roles
from khuyencong.core.bounds import parse_id, parse_int
from khuyencong.core.models import VersionConflict
from khuyencong.core.uploads import download_response
from khuyencong.core.views import FilteredListView, PermissionMixin, ScopedDetailView
from khuyencong.registrations import dates as registration_dates
from khuyencong.registrations import forms, selectors, services, workflow
from khuyencong.registrations.columns import REGISTRATION_EXPORT
from khuyencong.registrations.filters import RegistrationFilterSet
from khuyencong.registrations.models import (
    AppraisalCriterion,
    EligibilityRuleSet,
    EventKind,
    ExcludedProduct,
    LocationRule,
    PriorityCriterion,
    Registration,
    RegistrationAttachment,
    RuleCondition,
    Screening,
    Status,
    SupportLevelRule,
    SupportUpliftRule,
)
from khuyencong.registrations.services import InputError, Refused

SCOPE = selectors.SCOPE


def put_problems(form: Any, error: Refused) -> None:
    """A service's refusal shown on the form: each problem on its field (or on top)."""
    if isinstance(error, InputError):
        for field, problems in error.by_field.items():
            target = field if field in form.fields else None
            if field.startswith("score") or field in {"scores"}:
                target = None
            for message in problems:
                form.add_error(target if target in form.fields else None, message)
    else:
        field = getattr(error, "field", None)  # references.OutOfArea names its field
        form.add_error(field if field in form.fields else None, error.message)


def _scoped(request: HttpRequest, pk: int, permission: str = "registrations.view") -> Registration:
    queryset = roles.scope_queryset(request.user, Registration.objects.all(), **SCOPE)
    registration = get_object_or_404(
        queryset.select_related(
            "funding_source", "content_area", "beneficiary__kind", "place__parent"
        ),
        pk=pk,
    )
    decision = roles.check(request.user, permission, registration)
    if not decision:
        raise PermissionDenied(decision.reason)
    return registration


class RegistrationListView(FilteredListView):
    model = Registration
    permission = "registrations.view"
    scope_lookups = SCOPE
    filterset_class = RegistrationFilterSet
    template_name = "registrations/list.html"
    export_columns = REGISTRATION_EXPORT
    export_filename = "dang-ky-de-an"

    def get_queryset(self) -> QuerySet:
        latest = Screening.objects.filter(registration=OuterRef("pk")).order_by(
            "-screened_at", "-id"
        )
        return (
            super()
            .get_queryset()
            .select_related("funding_source", "content_area", "beneficiary", "place", "decision")
            .annotate(screening_outcome=Subquery(latest.values("outcome")[:1]))
            .order_by("-target_year", "code")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = roles.check(user, "registrations.register")
        context["can_plan"] = roles.check(user, "plans.view")
        return context


class RegistrationDetailView(ScopedDetailView):
    model = Registration
    permission = "registrations.view"
    scope_lookups = SCOPE
    template_name = "registrations/detail.html"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related(
                "funding_source",
                "content_area",
                "beneficiary__kind",
                "place__parent__parent",
                "industry",
                "implementing_unit",
                "project",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, registration = self.request.user, self.object
        screening = selectors.latest_screening(registration)
        context["screening"] = screening
        if screening is None and registration.status in workflow.EDITABLE:
            context["preview"] = selectors.preview(registration)
        context["steps"] = step_buttons(user, registration)
        context["can_screen"] = registration.status not in (
            Status.DRAFT,
            Status.WITHDRAWN,
        ) and roles.check(user, "registrations.receive", registration)
        context["can_edit"] = registration.is_editable and roles.check(
            user, "registrations.register", registration
        )
        context["can_appraise"] = registration.status in workflow.APPRAISABLE and roles.check(
            user, "registrations.appraise", registration
        )
        context["can_decide"] = registration.status == Status.SUBMITTED and roles.check(
            user, "registrations.decide", registration
        )
        context["appraisals"] = (
            registration.appraisals.active()
            .select_related("appraiser")
            .prefetch_related("scores__criterion")
        )
        context["average_score"] = selectors.average_score(registration)
        context["decision"] = getattr(registration, "decision", None)
        context["entry"] = registration.plan_entries.active().select_related("plan").first()
        context["attachments"] = registration.attachments.active()
        context["events"] = registration.events.select_related("actor")
        context["attachment_form"] = forms.AttachmentForm()
        context["reason_form"] = forms.ReasonForm()
        return context


STEP_ACTIONS = (
    (EventKind.SUBMIT, "submit", gettext_lazy("Submit")),
    (EventKind.RETURN, "return", gettext_lazy("Return for completion")),
    (EventKind.WITHDRAW, "withdraw", gettext_lazy("Withdraw")),
)


def step_buttons(user: Any, registration: Registration) -> list[dict[str, Any]]:
    """The workflow buttons the status allows, each with whether the user may press it."""
    buttons = []
    for kind, url_name, action in STEP_ACTIONS:
        step = workflow.BY_KIND[kind]
        if registration.status not in step.sources:
            continue
        decision = roles.check(user, step.permission, registration)
        buttons.append(
            {
                "kind": kind,
                "label": action,
                "url": reverse(f"registrations:{url_name}", args=[registration.pk]),
                "allowed": bool(decision),
                "reason": decision.reason,
                "needs_reason": step.needs_reason,
            }
        )
    return buttons


class RegistrationFormMixin(PermissionMixin):
    permission = "registrations.register"
    template_name = "registrations/form.html"
    form_class = forms.RegistrationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs


class RegistrationCreateView(RegistrationFormMixin, FormView):
    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        beneficiary = parse_id(self.request.GET.get("beneficiary"))
        if beneficiary is not None:
            initial["beneficiary"] = beneficiary
        # the plan year the user works on (the list's filter): registered the year before it
        year = parse_int(self.request.GET.get("target_year"), minimum=2000, maximum=2100)
        if year is not None:
            initial["target_year"] = year
            initial["registered_on"] = registration_dates.new_registration_day(year)
        return initial

    def form_valid(self, form: forms.RegistrationForm) -> HttpResponse:
        try:
            registration = services.create_registration(actor=self.request.user, **form.changes())
        except Refused as error:
            put_problems(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Registration %(code)s saved as a draft.") % {"code": registration.code},
        )
        return redirect("registrations:detail", registration.pk)


class RegistrationUpdateView(RegistrationFormMixin, FormView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = _scoped(request, kwargs["pk"], "registrations.register")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form: forms.RegistrationForm) -> HttpResponse:
        # the form filled ``self.object`` in place: reload it so the service compares versions
        original = Registration.objects.get(pk=self.object.pk)
        try:
            services.update_registration(
                registration=original,
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
                **form.changes(),
            )
        except VersionConflict as conflict:
            form.add_error(
                None,
                _(
                    "Someone else saved this registration (version %(version)s) after you "
                    "opened it. Your changes were not saved: reload the page and apply them "
                    "again."
                )
                % {"version": conflict.current.version},
            )
            return self.form_invalid(form)
        except Refused as error:
            put_problems(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("registrations:detail", original.pk)


# the permission each step button needs (the workflow table's; screening again is the
# centre's receiving work): checked before anything, so a refused step answers 403
STEP_PERMISSIONS = {
    "submit": workflow.BY_KIND[EventKind.SUBMIT].permission,
    "return": workflow.BY_KIND[EventKind.RETURN].permission,
    "withdraw": workflow.BY_KIND[EventKind.WITHDRAW].permission,
    "screen": "registrations.receive",
}


class StepView(PermissionMixin, View):
    """POST: one workflow step (submit, return, withdraw, screen again)."""

    permission = "registrations.view"
    http_method_names = ["post"]
    step = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = _scoped(request, pk, STEP_PERMISSIONS[self.step])
        reason = request.POST.get("reason", "")
        user = request.user
        try:
            if self.step == "submit":
                screening = services.submit_registration(registration=registration, actor=user)
                messages.success(
                    request,
                    _("Submitted and screened: %(outcome)s.")
                    % {"outcome": screening.get_outcome_display()},
                )
            elif self.step == "return":
                services.return_registration(registration=registration, actor=user, reason=reason)
                messages.success(request, _("Returned for completion."))
            elif self.step == "withdraw":
                services.withdraw_registration(registration=registration, actor=user, reason=reason)
                messages.success(request, _("Withdrawn."))
            elif self.step == "screen":
                screening = services.screen_registration(registration=registration, actor=user)
                messages.success(
                    request,
                    _("Screened again: %(outcome)s.")
                    % {"outcome": screening.get_outcome_display()},
                )
            else:  # pragma: no cover - urls name every step
                raise Http404
        except Refused as error:
            messages.error(request, error.message)
        return redirect("registrations:detail", registration.pk)


class AppraiseView(PermissionMixin, FormView):
    permission = "registrations.appraise"
    template_name = "registrations/appraise.html"
    form_class = forms.AppraisalForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = _scoped(request, kwargs["pk"], "registrations.appraise")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"appraised_on": registration_dates.registration_day(self.object)}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        day = registration_dates.registration_day(self.object)
        raw = self.request.POST.get("appraised_on", "")
        with contextlib.suppress(ValueError):
            day = datetime.date.fromisoformat(raw) if raw else day
        kwargs["criteria"] = list(
            AppraisalCriterion.objects.active().valid_on(day).order_by("sort_order")
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(object=self.object, **kwargs)
        context["screening"] = selectors.latest_screening(self.object)
        return context

    def form_valid(self, form: forms.AppraisalForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.record_appraisal(
                registration=self.object,
                actor=self.request.user,
                appraised_on=data["appraised_on"],
                scores=form.scores(),
                opinion=data.get("opinion", ""),
                recommendation=data.get("recommendation", ""),
                recommended_support=data.get("recommended_support"),
                conflict_of_interest=data.get("conflict_of_interest", False),
                conflict_note=data.get("conflict_note", ""),
            )
        except Refused as error:
            _put_score_problems(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Appraisal sheet recorded."))
        return redirect("registrations:detail", self.object.pk)


def _put_score_problems(form: forms.AppraisalForm, error: Refused) -> None:
    if not isinstance(error, InputError):
        form.add_error(None, error.message)
        return
    for field, problems in error.by_field.items():
        name = f"score_{field}" if f"score_{field}" in form.fields else field
        for message in problems:
            form.add_error(name if name in form.fields else None, message)


class DecideView(PermissionMixin, FormView):
    permission = "registrations.decide"
    template_name = "registrations/decide.html"
    form_class = forms.DecisionForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = _scoped(request, kwargs["pk"], "registrations.decide")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        appraised = [a.appraised_on for a in self.object.appraisals.active() if a.appraised_on]
        day = registration_dates.registration_day(
            self.object, not_before=max(appraised, default=None)
        )
        return {"decision_date": day}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(object=self.object, **kwargs)
        context["screening"] = selectors.latest_screening(self.object)
        context["appraisals"] = self.object.appraisals.active().select_related("appraiser")
        context["average_score"] = selectors.average_score(self.object)
        return context

    def form_valid(self, form: forms.DecisionForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.decide_registration(
                registration=self.object,
                actor=self.request.user,
                outcome=data["outcome"],
                approved_support=data.get("approved_support"),
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                reason=data.get("reason", ""),
                council=data.get("council", ""),
            )
        except Refused as error:
            put_problems(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The council's decision is recorded."))
        return redirect("registrations:detail", self.object.pk)


class AttachmentUploadView(PermissionMixin, View):
    permission = "registrations.register"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = _scoped(request, pk, "registrations.register")
        form = forms.AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("registrations:detail", registration.pk)
        try:
            services.add_attachment(
                registration=registration,
                actor=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("File attached."))
        return redirect("registrations:detail", registration.pk)


class AttachmentDownloadView(PermissionMixin, View):
    permission = "registrations.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = get_object_or_404(
            RegistrationAttachment.objects.active().select_related("registration"), pk=pk
        )
        decision = roles.check(request.user, "registrations.view", attachment.registration)
        if not decision:
            raise Http404
        return download_response(
            attachment.file.open("rb"),
            filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
            content_type=attachment.content_type,
        )


class RulesView(PermissionMixin, TemplateView):
    """The rule rows in force and past, with what is confirmed (reference data, no scope)."""

    permission = "registrations.view"
    template_name = "registrations/rules.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rule_sets"] = (
            EligibilityRuleSet.objects.active()
            .select_related("funding_source", "legal_basis", "province")
            .prefetch_related(
                "beneficiary_kinds",
                "industries",
                "content_areas",
                Prefetch("locations", queryset=LocationRule.objects.active()),
                Prefetch(
                    "conditions",
                    queryset=RuleCondition.objects.active().select_related(
                        "content_area", "industry", "legal_basis"
                    ),
                ),
            )
        )
        context["support_levels"] = SupportLevelRule.objects.active().select_related(
            "content_area", "funding_source", "legal_basis", "province"
        )
        context["uplifts"] = SupportUpliftRule.objects.active().select_related(
            "content_area", "funding_source", "legal_basis"
        )
        context["exclusions"] = ExcludedProduct.objects.active().select_related("legal_basis")
        context["priority_criteria"] = PriorityCriterion.objects.active().select_related(
            "legal_basis"
        )
        context["appraisal_criteria"] = AppraisalCriterion.objects.active().select_related(
            "legal_basis"
        )
        context["can_edit_rules"] = roles.check(self.request.user, "admin.site")
        return context
