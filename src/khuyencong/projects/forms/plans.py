"""Plan forms: create, edit, approve, adjust/supplement, record an allocation batch. They
parse input; ``projects.plan_services`` holds the rules and its refusals are form errors."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import AllocationDocument, Plan, PlanKind, PlanStatus, PlanVersionKind
from khuyencong.projects.fields import MoneyField
from khuyencong.projects.forms import VersionField


def provinces_for(user: Any) -> Any:
    """Provinces a user may make a plan for (both eras: a 2018 plan is for a legacy province)."""
    units = AdminUnit.objects.provinces()
    if not roles.is_national(user):
        units = units.filter(pk__in=roles.province_ids(user))
    return units.order_by("era", "name")


class PlanCreateForm(StyledForm):
    province = forms.ModelChoiceField(label=_("Province"), queryset=AdminUnit.objects.none())
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The plan's year, or the first year of its period."),
    )
    end_year = forms.IntegerField(
        label=_("Last year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("For a plan over a period of several years; leave empty for one year."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of plan"),
        choices=PlanKind.choices,
        initial=PlanKind.MAIN,
        required=False,  # not sent: the main plan
        help_text=_(
            "One main plan per province, funding source and year; any number of "
            "supplementary plans beside it."
        ),
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    ceiling = MoneyField(
        label=_("Proposed ceiling (VND)"),
        help_text=_("The money the plan asks for; the approval may set another ceiling."),
    )
    approving_authority = forms.CharField(
        label=_("Approving authority"),
        max_length=200,
        required=False,
        help_text=_("E.g. Bộ Công Thương for KCQG, UBND tỉnh for KCĐP."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = provinces_for(user)
        self.fields["province"].queryset = provinces
        self.fields["province"].label_from_instance = lambda unit: f"{unit.name} ({unit.era_badge})"
        if user.province_id and not self.is_bound:
            self.fields["province"].initial = user.province_id
        self.fields["funding_source"].queryset = FundingSource.objects.selectable()
        self.fields["year"].initial = datetime.date.today().year + 1

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or PlanKind.MAIN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        province, year = cleaned.get("province"), cleaned.get("year")
        if province is not None and year and not province.is_valid_on(datetime.date(year, 1, 1)):
            self.add_error(
                "province",
                _("%(province)s was not a province at the start of %(year)s (%(period)s).")
                % {"province": province.name, "year": year, "period": province.validity_text},
            )
        return cleaned


class PlanEditForm(StyledForm):
    """The plan's descriptive fields; its period and kind too while it is not approved."""

    title = forms.CharField(label=_("Title"), max_length=300)
    end_year = forms.IntegerField(
        label=_("Last year"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("For a plan over a period of several years; leave empty for one year."),
    )
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices, required=False)
    approving_authority = forms.CharField(
        label=_("Approving authority"), max_length=200, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_version = VersionField()

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "title": plan.title,
            "end_year": plan.end_year,
            "kind": plan.kind,
            "approving_authority": plan.approving_authority,
            "notes": plan.notes,
            "expected_version": plan.version,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        if plan.status == PlanStatus.APPROVED:
            # the approving decision fixed them (services.update_plan refuses a change)
            del self.fields["end_year"], self.fields["kind"]


class PlanApproveForm(StyledForm):
    """The approval decision (``services.approve_plan``)."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"))
    effective_date = forms.DateField(
        label=_("In force from"),
        required=False,
        help_text=_("Leave empty: in force from the decision date."),
    )
    approving_authority = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("E.g. UBND tỉnh, Bộ Công Thương."),
    )
    ceiling = MoneyField(
        label=_("Approved ceiling (VND)"),
        required=False,
        help_text=_("Leave as proposed, or enter the ceiling the decision sets."),
    )
    expected_version = VersionField()

    def __init__(self, *args: Any, plan: Plan, proposed: int, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "approving_authority": plan.approving_authority,
            "ceiling": proposed,
            "expected_version": plan.version,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


class PlanVersionForm(StyledForm):
    """An adjustment or supplement setting a new ceiling (``services.add_plan_version``)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (PlanVersionKind.ADJUSTMENT, PlanVersionKind.ADJUSTMENT.label),
            (PlanVersionKind.SUPPLEMENT, PlanVersionKind.SUPPLEMENT.label),
        ],
    )
    ceiling = MoneyField(label=_("New ceiling (VND)"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"))
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_("Leave empty: the plan's approving authority."),
    )
    effective_date = forms.DateField(
        label=_("In force from"),
        required=False,
        help_text=_("Leave empty: in force from the decision date."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_version = VersionField()

    def __init__(self, *args: Any, plan: Plan, current_ceiling: int, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "ceiling": current_ceiling,
            "expected_version": plan.version,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


class AllocationForm(StyledForm):
    """A batch (đợt) of national-fund projects assigned by the national agency's letter or
    decision (``services.record_allocation``)."""

    batch = forms.IntegerField(label=_("Batch"), help_text=_("Đợt 1, đợt 2…"))
    document_kind = forms.ChoiceField(
        label=_("Document"), choices=AllocationDocument.choices, initial=AllocationDocument.LETTER
    )
    document_number = forms.CharField(label=_("Document number"), max_length=80)
    document_date = forms.DateField(label=_("Document date"))
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("E.g. Cục Công Thương địa phương."),
    )
    amount = MoneyField(label=_("Amount (VND)"))
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        last = plan.allocations.active().order_by("-batch").first()
        kwargs["initial"] = {
            "batch": last.batch + 1 if last else 1,
            "issuer": last.issuer if last else "",
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
