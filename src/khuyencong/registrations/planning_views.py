"""Plan-building pages: an index of the province/year/source groups with registrations, and
the page of one group (candidates, ceiling check, draft, submit, approve, projects created,
Mẫu 2 for the national fund)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.core.models import VersionConflict
from khuyencong.core.views import PermissionMixin
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import PlanStatus
from khuyencong.projects import plan_services
from khuyencong.projects.models import Project
from khuyencong.registrations import forms, planning, selectors
from khuyencong.registrations.models import Registration, Screening
from khuyencong.registrations.summary_sheet import render_summary_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanIndexView(PermissionMixin, TemplateView):
    """Province, year and source groups of received registrations the user may plan."""

    permission = "plans.view"
    template_name = "registrations/plan_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        received = roles.scope_queryset(
            self.request.user,
            Registration.objects.active().received(),
            **selectors.SCOPE,
        )
        groups = (
            received.values(
                "province",
                "province__name",
                "target_year",
                "funding_source__code",
                "funding_source__name",
            )
            .annotate(count=Count("pk"))
            .order_by("-target_year", "province__name", "funding_source__sort_order")
        )
        context["groups"] = list(groups[:500])
        return context


def _province(request: HttpRequest, pk: int) -> AdminUnit:
    province = get_object_or_404(AdminUnit.objects.provinces(), pk=pk)
    decision = roles.check(request.user, "plans.view", province)
    if not decision:
        raise PermissionDenied(decision.reason)
    return province


def _source(code: str) -> FundingSource:
    source = FundingSource.objects.filter(code=code).first()
    if source is None:
        raise Http404
    return source


def _candidates(province: AdminUnit, year: int, source: FundingSource) -> QuerySet:
    latest = Screening.objects.filter(registration=OuterRef("pk")).order_by("-screened_at", "-id")
    return (
        selectors.plan_candidates(province, year, source.code)
        .annotate(
            priority_area=Subquery(latest.values("priority_area_points")[:1]),
            priority_industry=Subquery(latest.values("priority_industry_points")[:1]),
        )
        .order_by("-priority_area", "-priority_industry", "code")  # area first (TT 46/2012 Art. 6)
    )


class PlanBuildView(PermissionMixin, View):
    """GET: the page. POST ``action``: check (htmx totals), save, submit, approve."""

    permission = "plans.view"
    template_name = "registrations/plan_build.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.year = int(kwargs["year"])
        self.source_code = kwargs["source"]

    def load(self) -> None:
        self.province = _province(self.request, self.kwargs["province"])
        self.source = _source(self.source_code)
        self.plan = planning.plan_for(self.province, self.year, self.source)
        self.candidates = _candidates(self.province, self.year, self.source)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load()
        return self.render()

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        self.load()
        action = request.POST.get("action", "")
        handler = {
            "check": self.check,
            "save": self.save,
            "submit": self.submit,
            "approve": self.approve,
        }.get(action)
        if handler is None:
            raise Http404
        return handler()

    # --- actions

    def build_form(self, data: Any = None) -> forms.PlanBuildForm:
        initial = {}
        if self.plan is not None:
            initial["registrations"] = [
                entry.registration_id for entry in selectors.entries_of(self.plan)
            ]
        return forms.PlanBuildForm(data, candidates=self.candidates, initial=initial)

    def chosen_total(self, form: forms.PlanBuildForm) -> dict[str, Any]:
        chosen = form.cleaned_data.get("registrations") or []
        total = sum(r.decision.approved_support for r in chosen)
        if self.plan is not None:
            total += planning.other_projects_amount(self.plan)
            ceiling = planning.draft_ceiling(self.plan)
        else:
            ceiling = form.cleaned_data.get("ceiling")
        return {"total": total, "ceiling": ceiling, "over": ceiling is not None and total > ceiling}

    def check(self) -> HttpResponse:
        form = self.build_form(self.request.POST)
        totals = self.chosen_total(form) if form.is_valid() else {}
        return TemplateResponse(
            self.request, f"{self.template_name}#totals", {"totals": totals, "form": form}
        )

    def save(self) -> HttpResponse:
        roles.require_page(self.request, "plans.manage", self.scope_target)
        form = self.build_form(self.request.POST)
        if not form.is_valid():
            return self.render(build_form=form)
        chosen = list(form.cleaned_data["registrations"])
        try:
            if self.plan is None:
                ceiling = form.cleaned_data.get("ceiling")
                if ceiling is None:
                    form.add_error("ceiling", _("Enter the plan ceiling."))
                    return self.render(build_form=form)
                planning.build_plan(
                    actor=self.request.user,
                    province=self.province,
                    year=self.year,
                    funding_source=self.source,
                    ceiling=ceiling,
                    registrations=chosen,
                    title=form.cleaned_data.get("title", ""),
                )
            else:
                planning.set_plan_entries(
                    plan=self.plan, actor=self.request.user, registrations=chosen
                )
        except Refused as error:
            form.add_error(None, error.message)
            return self.render(build_form=form)
        messages.success(self.request, _("The draft plan is saved."))
        return redirect(self.request.path)

    def submit(self) -> HttpResponse:
        if self.plan is None:
            raise Http404
        try:
            if not selectors.entries_of(self.plan).exists():
                raise Refused(_("The plan holds no registration."), "empty")
            plan_services.submit_plan(plan=self.plan, actor=self.request.user)
        except Refused as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, _("The plan is submitted for approval."))
        return redirect(self.request.path)

    def approve(self) -> HttpResponse:
        if self.plan is None:
            raise Http404
        form = forms.PlanApprovalForm(self.request.POST)
        if not form.is_valid():
            return self.render(approval_form=form)
        data = form.cleaned_data
        try:
            projects = planning.approve_registration_plan(
                plan=self.plan,
                actor=self.request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                approving_authority=data.get("approving_authority", ""),
                ceiling=data.get("ceiling"),
            )
        except (Refused, VersionConflict) as error:
            form.add_error(None, getattr(error, "message", str(error)))
            return self.render(approval_form=form)
        messages.success(
            self.request,
            _("The plan is approved: %(count)s projects created.") % {"count": len(projects)},
        )
        return redirect(self.request.path)

    @property
    def scope_target(self) -> Any:
        """What the permissions are checked on: the plan, or the province before it exists."""
        return self.plan if self.plan is not None else self.province

    # --- page

    def render(self, **forms_: Any) -> HttpResponse:
        user = self.request.user
        plan = self.plan
        status = selectors.next_year_plan_status(self.province, self.year, self.source)
        entries = list(selectors.entries_of(plan)) if plan is not None else []
        manage_target = self.scope_target
        fund = "national" if self.source.code == "national" else "local"
        context = {
            "province": self.province,
            "year": self.year,
            "source": self.source,
            "plan": plan,
            "status": status,
            "candidates": self.candidates,
            "entries": entries,
            "committed": planning.committed_amount(plan) if plan is not None else 0,
            "ceiling": planning.draft_ceiling(plan) if plan is not None else None,
            "can_manage": bool(roles.check(user, "plans.manage", manage_target)),
            "can_approve": bool(
                plan is not None and roles.check(user, f"plans.approve_{fund}", plan)
            ),
            "build_form": forms_.get("build_form") or self.build_form(),
            "approval_form": forms_.get("approval_form")
            or forms.PlanApprovalForm(
                initial={"approving_authority": plan.approving_authority if plan else ""}
            ),
            "projects": (
                Project.objects.filter(registration__in=[e.registration_id for e in entries])
                .select_related("beneficiary", "plan__funding_source")
                .order_by("code")
                if plan is not None and plan.status == PlanStatus.APPROVED
                else []
            ),
        }
        context["over"] = (
            context["ceiling"] is not None and context["committed"] > context["ceiling"]
        )
        form = context["build_form"]
        if form.is_bound:
            context["selected"] = {
                int(value) for value in form.data.getlist("registrations") if value.isdigit()
            }
        else:
            context["selected"] = set(form.initial.get("registrations", []))
        return TemplateResponse(self.request, self.template_name, context)


class SummarySheetView(PermissionMixin, View):
    """Mẫu 2 (XLSX) of a province's registrations for a year and source."""

    permission = "plans.view"

    def get(self, request: HttpRequest, province: int, year: int, source: str) -> HttpResponse:
        unit = _province(request, province)
        funding_source = _source(source)
        content = render_summary_sheet(unit, int(year), funding_source)
        name = f"mau-2-{slugify(funding_source.short_name or source)}-{unit.code}-{year}.xlsx"
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
