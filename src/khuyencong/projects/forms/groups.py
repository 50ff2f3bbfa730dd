"""A group project's participants: add one by the department's decision, or record that one
leaves (``projects.groups.add_member`` / ``end_membership``: the rules are there)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.forms import StyledForm
from khuyencong.projects.fields import BeneficiaryPicker, MoneyField, PlaceField
from khuyencong.projects.forms.common import VersionField, style_new_fields
from khuyencong.projects.models import GroupMember, Project
from khuyencong.projects.references import beneficiaries_for, places_for


class MemberForm(StyledForm):
    beneficiary = forms.ModelChoiceField(
        label=_("Beneficiary"), queryset=Beneficiary.objects.none(), widget=BeneficiaryPicker
    )
    support_amount = MoneyField(label=_("Support amount (VND)"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    decision_date = forms.DateField(label=_("Decision date"))
    issuer = forms.CharField(label=_("Issued by"), max_length=200, initial="Sở Công Thương")
    joined_on = forms.DateField(
        label=_("Takes part from"),
        required=False,
        help_text=_("Empty: the decision's date."),
    )
    expected_version = VersionField()

    FIELDS = (
        "beneficiary",
        "place",
        "support_amount",
        "decision_number",
        "decision_date",
        "issuer",
        "joined_on",
    )

    def __init__(self, *args: Any, project: Project, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].queryset = beneficiaries_for(user)
        national = roles.is_national(user)
        self.fields["place"] = PlaceField(
            queryset=places_for(user),
            province_id=None if national else user.province_id,
            district_id=None if national else user.district_id,
            valid_on=self.day,
            search_on=self.day,
        )
        self.fields["place"].help_text = _(
            "Where this participant is supported, as in force on the decision's date."
        )
        self.fields["expected_version"].initial = project.version
        self.order_fields(self.FIELDS)
        style_new_fields(self)

    def day(self) -> datetime.date | None:
        """The date the place must be in force on: the joining date, else the decision's."""
        for name in ("joined_on", "decision_date"):
            raw = self[name].value() if self.is_bound else None
            try:
                day = self.fields[name].to_python(raw) if raw else None
            except ValidationError:
                day = None
            if day:
                return day
        return None

    def service_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        fields["issuer"] = fields["issuer"] or ""
        return fields


class MemberEndForm(StyledForm):
    left_on = forms.DateField(label=_("Leaves on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)
    reason = forms.CharField(
        label=_("Reason for leaving"), widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_version = VersionField()  # the participant's row

    FIELDS = ("left_on", "decision_number", "reason")

    def __init__(self, *args: Any, member: GroupMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = member.version

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}
