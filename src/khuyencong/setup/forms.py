"""The set-up forms (the one form style: ``core.forms``). They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Organisation, Role
from khuyencong.core.forms import StyledForm
from khuyencong.places.models import AdminUnit, Level
from khuyencong.places.widgets import AdminUnitChoiceField
from khuyencong.projects import procedure
from khuyencong.projects.models import ProcedureStep
from khuyencong.setup.services import PROVINCE_KINDS, SIGNER_CAPACITIES


class ProvinceChoiceForm(StyledForm):
    province = AdminUnitChoiceField(level=Level.PROVINCE, label=_("Province"))


def _organisations(province: AdminUnit) -> Any:
    return (
        Organisation.objects.active()
        .filter(province_id__in=AdminUnit.province_family_ids(province.pk))
        .order_by("kind", "name")
    )


class OrganisationForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[(kind.value, kind.label) for kind in PROVINCE_KINDS],
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent organisation"), queryset=Organisation.objects.none(), required=False
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args: Any, province: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = AdminUnitChoiceField(
            level=Level.DISTRICT,
            province_id=province.pk,
            required=False,
            label=_("District (for a district office)"),
        )
        self.fields["district"].widget.attrs["class"] = "form-control"
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = _organisations(province)
        self.order_fields(["kind", "name", "short_name", "district", "parent", "address"])


class RenameForm(StyledForm):
    name = forms.CharField(label=_("New name"), max_length=255)
    since = forms.DateField(
        label=_("In use from"), widget=forms.DateInput, help_text=_("The day of the decision.")
    )
    note = forms.CharField(
        label=_("Note"), max_length=255, required=False, help_text=_("E.g. the decision.")
    )


class InviteForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    send_email = forms.BooleanField(
        label=_("Send the link by e-mail"),
        required=False,
        initial=True,
        help_text=_("Otherwise the one-time link is shown to you to hand over."),
    )

    def __init__(self, *args: Any, actor: Any, province: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = roles.grantable_roles(actor)
        # on a province's page: the province's roles (national ones from the national list)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [
            (role.value, role.label) for role in grantable if role not in roles.NATIONAL_ROLES
        ]
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = _organisations(province)
        self.fields["district"] = AdminUnitChoiceField(
            level=Level.DISTRICT,
            province_id=province.pk,
            required=False,
            label=_("District (for a district officer)"),
        )
        self.fields["district"].widget.attrs["class"] = "form-control"
        self.order_fields(
            ["email", "full_name", "role", "district", "organisation", "phone", "send_email"]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("role") == Role.DISTRICT_OFFICER and not cleaned.get("district"):
            self.add_error("district", _("A district officer needs a district."))
        return cleaned


class DeactivateForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class AcceptForm(StyledForm):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, max_length=128
    )


class ReportSettingsForm(StyledForm):
    symbol = forms.CharField(label=_("Document symbol"), max_length=30, help_text=_("E.g. BC-SCT."))
    signer_capacity = forms.ChoiceField(
        label=_("Signing on behalf"),
        required=False,
        choices=[(value, value or _("— (the head signs)")) for value in SIGNER_CAPACITIES],
        help_text=_("KT. GIÁM ĐỐC when a deputy signs for the director."),
    )
    signer_position = forms.CharField(
        label=_("Signer's position"), max_length=60, help_text=_("E.g. GIÁM ĐỐC, PHÓ GIÁM ĐỐC.")
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=120)
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."),
        max_length=5000,
    )
    local_programme = forms.CharField(
        label=_("Local programme"),
        max_length=300,
        required=False,
        help_text=_("E.g. Chương trình khuyến công tỉnh … giai đoạn 2021 – 2025."),
    )
    focus_areas = forms.CharField(
        label=_("Next year's focus"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The contents next year's plan concentrates on, one per line."),
        max_length=5000,
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ProcedureDayForm(StyledForm):
    day = forms.DateField(label=_("In force on"), required=False, widget=forms.DateInput)


class ProcedureForm(StyledForm):
    """A change of the province's own procedure (``projects.procedure``): for each step, the
    roles who record it, whether it needs its document, its deadline; from a date."""

    valid_from = forms.DateField(
        label=_("Applies from"),
        widget=forms.DateInput,
        help_text=_("Steps taking effect before this day keep the rule of their date."),
    )
    notes = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the decision of the provincial People's Committee."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, rules: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_choices = [(str(role.value), role.label) for role in procedure.PROVINCE_ROLES]
        self.rows: list[tuple[str, Any, Any, Any, Any]] = []
        for step in ProcedureStep:
            rule = rules[step.value]
            self.fields[f"{step.value}_roles"] = forms.MultipleChoiceField(
                label=_("Roles who record “%(step)s”") % {"step": step.label},
                choices=role_choices,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                initial=sorted(str(role) for role in rule.roles if role != Role.SYSTEM_ADMIN),
            )
            if step.value not in procedure.NO_DOCUMENT_STEPS:
                self.fields[f"{step.value}_document"] = forms.BooleanField(
                    label=_("Document number required"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                    initial=rule.document_required,
                )
            self.fields[f"{step.value}_deadline"] = forms.IntegerField(
                label=_("Deadline (days)"),
                required=False,
                min_value=1,
                max_value=procedure.MAX_DEADLINE_DAYS,
                initial=rule.deadline_days,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )
        for step in ProcedureStep:
            name = f"{step.value}_document"
            document = self[name] if name in self.fields else None
            self.rows.append(
                (
                    str(step.label),
                    rules[step.value],
                    self[f"{step.value}_roles"],
                    document,
                    self[f"{step.value}_deadline"],
                )
            )

    def steps(self) -> dict[str, procedure.StepInput]:
        data = self.cleaned_data
        return {
            step.value: procedure.StepInput(
                roles=frozenset(data.get(f"{step.value}_roles") or ()),
                document_required=bool(data.get(f"{step.value}_document")),
                deadline_days=data.get(f"{step.value}_deadline"),
            )
            for step in ProcedureStep
        }
