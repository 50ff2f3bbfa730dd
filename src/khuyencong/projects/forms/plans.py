"""Plan forms: create, edit, approve, adjust/supplement. They parse input;
``projects.plan_services`` holds the rules and its refusals are shown as form errors."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.catalog.models import FundingSource
from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan, PlanVersionKind
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
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
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
    title = forms.CharField(label=_("Title"), max_length=300)
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
            "approving_authority": plan.approving_authority,
            "notes": plan.notes,
            "expected_version": plan.version,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)


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
        label=_("Approving authority"), max_length=200, required=False
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
