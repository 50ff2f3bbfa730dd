"""Forms of the registration screens, in the one form style (core.forms). They parse and
check the shape of the input; the rules are in ``services`` (whose problems the views put back
on the fields)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.models import ContentArea, FundingSource, Industry
from khuyencong.core.forms import StyledForm, VersionedModelForm
from khuyencong.core.money import MoneyError, group_thousands, parse_vnd
from khuyencong.places.widgets import AdminUnitChoiceField
from khuyencong.registrations import eligibility, selectors
from khuyencong.registrations.models import (
    AppraisalCriterion,
    Recommendation,
    Registration,
)


class MoneyField(forms.CharField):
    """An amount typed as "600.000.000", "600 triệu" or "1,5 tỷ", cleaned to integer VND."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("data-money", "")  # core/site.js groups digits as typed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return group_thousands(value)
        return value

    def to_python(self, value: Any) -> int | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        if len(text) > 40:
            raise forms.ValidationError(
                _("“%(text)s” is not an amount of money."), params={"text": text[:40]}
            )
        try:
            return parse_vnd(text)
        except MoneyError as error:
            raise forms.ValidationError(str(error), code="money") from error


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 2, 2012, -1)]


class NullBooleanChoice(forms.NullBooleanField):
    """Yes / No / Not stated, in a select."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.Select(
                choices=[("unknown", _("Not stated")), ("true", _("Yes")), ("false", _("No"))]
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)


MONEY_FIELDS = (
    "total_investment",
    "requested_national",
    "requested_local",
    "requested_other",
    "counterpart",
)


class RegistrationForm(VersionedModelForm):
    """Create or edit a registration. Saving goes through ``services``; not ``form.save``."""

    target_year = forms.TypedChoiceField(label=_("Plan year"), coerce=int, choices=_year_choices)
    total_investment = MoneyField(label=_("Total investment (VND)"))
    requested_national = MoneyField(
        label=_("Support requested: national fund (VND)"), required=False
    )
    requested_local = MoneyField(label=_("Support requested: local fund (VND)"), required=False)
    requested_other = MoneyField(label=_("Support requested: other sources (VND)"), required=False)
    counterpart = MoneyField(label=_("Counterpart funds (VND)"), required=False)
    machinery_new = NullBooleanChoice(label=_("Is the machinery new? (machinery support)"))
    technology_new_in_district = NullBooleanChoice(
        label=_("Is the technology or product new to the district? (demonstration model)")
    )
    pollution_assessment = NullBooleanChoice(
        label=_("Has the pollution been assessed? (relocation support)")
    )

    class Meta:
        model = Registration
        fields = [
            "beneficiary",
            "target_year",
            "funding_source",
            "content_area",
            "title",
            "product",
            "description",
            "place",
            "industry",
            "implementing_unit",
            "registered_on",
            "planned_start",
            "planned_end",
            *MONEY_FIELDS,
            "workforce",
            "local_raw_material_percent",
            "export_contract",
            "supporting_industry_product",
            "certified_product",
            "area_upland_border_ethnic",
            "area_poor_district",
            "area_new_rural",
            "area_difficult",
            "machinery_new",
            "technology_new_in_district",
            "production_line",
            "fairs_abroad_count",
            "pollution_assessment",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "registered_on": forms.DateInput(),
            "planned_start": forms.DateInput(),
            "planned_end": forms.DateInput(),
        }
        help_texts = {
            "fairs_abroad_count": _("Only for a fair abroad: how many were already supported."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        if not self.instance.pk:
            self.fields["target_year"].initial = today.year + 1
            self.fields["registered_on"].initial = today
        self.fields["funding_source"].queryset = FundingSource.objects.selectable(today)
        self.fields["content_area"].queryset = self._with_current(
            ContentArea.objects.selectable(today)
            .filter(parent__isnull=False)
            .order_by("sort_order"),
            "content_area_id",
        )
        self.fields["industry"].queryset = self._with_current(
            Industry.objects.selectable(), "industry_id"
        )
        self.fields["industry"].help_text = _("Empty: the beneficiary's industry.")
        self.fields["beneficiary"].queryset = selectors.beneficiaries_for(user)
        units = selectors.implementing_units_for(user)
        self.fields["implementing_unit"].queryset = units
        if not self.instance.pk:
            own = getattr(user, "organisation_id", None)
            centre = units.filter(pk=own).first() if own else None
            centre = centre or (units.first() if units.count() == 1 else None)
            self.fields["implementing_unit"].initial = centre.pk if centre else None
        self.fields["place"] = AdminUnitChoiceField(
            level="commune",
            valid_on=self._registered_on,
            required=False,
            help_text=_("Empty: the beneficiary's commune."),
        )
        self.fields["place"].label = _("Commune of the project")
        if self.instance.pk:
            self.fields["place"].initial = self.instance.place_id
        self.order_fields(self.Meta.fields)

    def _registered_on(self) -> datetime.date | None:
        raw = self.data.get(self.add_prefix("registered_on")) if self.is_bound else None
        if raw:
            try:
                return datetime.date.fromisoformat(str(raw))
            except ValueError:
                return None
        return self.instance.registered_on or timezone.localdate()

    def _with_current(self, queryset: QuerySet, attr: str) -> QuerySet:
        current = getattr(self.instance, attr, None)
        if current is None:
            return queryset
        return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in MONEY_FIELDS:
            if cleaned.get(name) is None and name in self.fields and name not in self.errors:
                cleaned[name] = 0
        if not any(name in self.errors for name in MONEY_FIELDS):
            for problem in eligibility.money_problems(
                **{name: cleaned.get(name) or 0 for name in MONEY_FIELDS}
            ):
                self.add_error(problem.field, problem.message)
        beneficiary = cleaned.get("beneficiary")
        if cleaned.get("place") is None and beneficiary is not None:
            cleaned["place"] = beneficiary.commune
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The cleaned values the services take."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AppraisalForm(StyledForm):
    appraised_on = forms.DateField(label=_("Appraisal date"), widget=forms.DateInput())
    conflict_of_interest = forms.BooleanField(
        label=_("I have a conflict of interest with this registration"), required=False
    )
    conflict_note = forms.CharField(
        label=_("Conflict of interest: details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Recommendation.choices],
        required=False,
    )
    recommended_support = MoneyField(label=_("Recommended support (VND)"), required=False)

    def __init__(self, *args: Any, criteria: list[AppraisalCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["appraised_on"].initial = timezone.localdate()
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=_("%(name)s (0–%(max)s points)")
                % {"name": criterion.name, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                required=False,
            )
            self.fields[f"score_{criterion.code}"].widget.attrs["class"] = "form-control"
        self.order_fields(
            [
                "appraised_on",
                "conflict_of_interest",
                "conflict_note",
                *[f"score_{c.code}" for c in criteria],
                "opinion",
                "recommendation",
                "recommended_support",
            ]
        )

    def scores(self) -> dict[str, int]:
        return {
            c.code: self.cleaned_data[f"score_{c.code}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.code}") is not None
        }


class DecisionForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Council decision"), choices=Recommendation.choices)
    approved_support = MoneyField(
        label=_("Support accepted (VND)"),
        required=False,
        help_text=_("For a reduced support; accepting gives the support requested."),
    )
    decision_number = forms.CharField(label=_("Minutes or decision number"), max_length=80)
    decision_date = forms.DateField(label=_("Decision date"), widget=forms.DateInput())
    reason = forms.CharField(
        label=_("Reason and how the points to review were settled"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    council = forms.CharField(
        label=_("Council members"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(StyledForm):
    title = forms.CharField(label=_("Document title"), max_length=300)
    file = forms.FileField(label=_("File"))


class PlanBuildForm(StyledForm):
    """The registrations a draft plan holds (and, for a new plan, its ceiling)."""

    ceiling = MoneyField(label=_("Plan ceiling (VND)"), required=False)
    title = forms.CharField(label=_("Plan title"), max_length=300, required=False)
    registrations = forms.ModelMultipleChoiceField(
        label=_("Registrations in the plan"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = candidates


class PlanApprovalForm(StyledForm):
    decision_number = forms.CharField(label=_("Approval decision number"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=forms.DateInput())
    approving_authority = forms.CharField(
        label=_("Approving authority"), max_length=200, required=False
    )
    ceiling = MoneyField(
        label=_("Approved ceiling (VND)"),
        required=False,
        help_text=_("Empty: the ceiling of the draft."),
    )
