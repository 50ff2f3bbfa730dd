"""Forms of the events app, in the one form style (core.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.forms import StyledForm, StyledFormMixin, VersionedModelForm
from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.events.models import Event, Participant
from khuyencong.places.models import AdminUnit
from khuyencong.projects.forms import organisations_for
from khuyencong.projects.models import Project


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, unit: AdminUnit) -> str:
        return unit.full_path


class MoneyField(forms.CharField):
    """Integer VND typed the Vietnamese way ("80.000.000", "80 triệu")."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "data-money": ""})  # grouped as typed: site.js
        return attrs

    def to_python(self, value: Any) -> int:
        text = super().to_python(value)
        if not text:
            return 0
        try:
            return parse_vnd(text)
        except MoneyError as error:
            raise forms.ValidationError(str(error)) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class EventForm(VersionedModelForm):
    place = UnitField(label=_("Place"), queryset=AdminUnit.objects.none())
    cost = MoneyField(label=_("Cost (VND)"), required=False)

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "project",
            "start_date",
            "end_date",
            "status",
            "place",
            "venue",
            "organiser",
            "organiser_name",
            "booths_supported",
            "cost",
            "notes",
        ]
        widgets = {
            "start_date": forms.DateInput(),
            "end_date": forms.DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = AdminUnit.objects.filter(level__in=["province", "district", "commune"])
        projects = Project.objects.active()
        if user is not None and not roles.is_national(user):
            ids = roles.province_ids(user)
            units = units.filter(province_id__in=ids)
            projects = projects.filter(province_id__in=ids)
        self.fields["place"].queryset = units.select_related("parent__parent").order_by(
            "era", "level", "name"
        )
        self.fields["project"].queryset = projects
        organisers = Organisation.objects.active()
        if user is not None:
            # the organisations of the user's area, and the event's own (even if elsewhere)
            organisers = organisations_for(user) | Organisation.objects.filter(
                pk=self.instance.organiser_id
            )
        self.fields["organiser"].queryset = organisers.order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The event ends before it starts."))
        return cleaned


def linkable_beneficiaries(user: Any = None) -> Any:
    """The establishments a participant may be linked to: those of ``user``'s area (all for
    the system). The form and the import look a tax code up here alone, so neither tells
    whether a code belongs to an establishment elsewhere."""
    beneficiaries = Beneficiary.objects.active()
    if user is None:
        return beneficiaries
    return roles.scope_queryset(
        user, beneficiaries, province="province", district="district", beneficiary="pk"
    )


class ParticipantForm(StyledFormMixin, forms.ModelForm):
    """Adds a participant (a new row: no stored version to compare)."""

    district = UnitField(label=_("District"), queryset=AdminUnit.objects.none(), required=False)

    class Meta:
        model = Participant
        fields = [
            "kind",
            "beneficiary",
            "name",
            "unit",
            "position",
            "district",
            "phone",
            "has_booth",
        ]

    def __init__(self, *args: Any, event: Event, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = AdminUnit.objects.filter(
            level="district", province_id=event.province_id
        ).order_by("name")
        self.fields["beneficiary"].queryset = linkable_beneficiaries(user).order_by("name")


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Columns: Họ và tên, Loại (cơ sở / cán bộ), Đơn vị, Chức vụ, Huyện, Mã số thuế, "
            "Điện thoại, Gian hàng. All rows are imported, or none if a row has an error."
        ),
    )
