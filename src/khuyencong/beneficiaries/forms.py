"""The beneficiary form: tax code rules, duplicate warnings, the commune chooser."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.beneficiaries import duplicates, taxcode
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.scoping import communes_in_scope
from khuyencong.catalog.models import BeneficiaryKind, Industry
from khuyencong.core.forms import VersionedModelForm
from khuyencong.places.models import AdminUnit
from khuyencong.places.widgets import AdminUnitPicker

COMMUNE_LABEL = _("Commune")


def commune_field(queryset: QuerySet[AdminUnit]) -> forms.ModelChoiceField:
    """The one place that builds the commune chooser (``places.widgets.AdminUnitPicker``)."""
    return forms.ModelChoiceField(
        queryset=queryset, label=COMMUNE_LABEL, widget=AdminUnitPicker(level="commune")
    )


def clean_tax_code_text(raw: str) -> str:
    """A tax code as typed -> its canonical form ("" when blank); the rule of the form and
    of the Excel import (spreadsheets.pipeline)."""
    if not raw.strip():
        return ""
    try:
        return taxcode.normalize(raw)
    except taxcode.InvalidTaxCode as error:
        raise forms.ValidationError(error.message, code=error.code) from error


def check_tax_code_required(kind: BeneficiaryKind | None, code: str) -> None:
    """A kind of beneficiary that must have a tax code (the form's and the import's rule)."""
    if not code and kind is not None and kind.tax_code_required:
        raise forms.ValidationError(
            _("A tax code is required for this kind of beneficiary (%(kind)s)."),
            code="required",
            params={"kind": kind.label},
        )


class BeneficiaryForm(VersionedModelForm):
    # Typed input may hold spaces, dots and a dash: longer than the stored canonical form.
    tax_code = forms.CharField(label=_("Tax code"), max_length=32, required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("Save anyway: this is a different establishment"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "kind",
            "name",
            "tax_code",
            "representative",
            "address",
            "commune",
            "industry",
            "phone",
            "email",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    # Identity fields a beneficiary user cannot change on their own record.
    IDENTITY_FIELDS = ("kind", "tax_code", "commune")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates: list[duplicates.PossibleDuplicate] = []  # those the user may see
        self.hidden_duplicates: list[str] = []  # the others, without saying which record
        self.tax_code_owner: Beneficiary | None = None
        today = datetime.date.today()
        self.fields["kind"].queryset = self._with_current(
            BeneficiaryKind.objects.selectable(today), "kind_id"
        )
        self.fields["industry"].queryset = self._with_current(
            Industry.objects.selectable(today), "industry_id"
        )
        self.fields["tax_code"].help_text = _(
            "10 digits, or 13 for a branch (0123456789-001). Optional for a household business."
        )
        locked = roles.role_of(user) == Role.BENEFICIARY
        communes = (
            AdminUnit.objects.filter(pk=self.instance.commune_id)
            if locked
            else communes_in_scope(user)
        )
        self.fields["commune"] = commune_field(communes.select_related("parent"))
        if locked:
            for name in self.IDENTITY_FIELDS:
                self.fields[name].disabled = True
        self.order_fields([*self.Meta.fields, "confirm_duplicates"])

    def _with_current(self, queryset: QuerySet, attr: str) -> QuerySet:
        """Selectable rows, plus the one the record already uses (even if since archived)."""
        current = getattr(self.instance, attr, None)
        if current is None:
            return queryset
        return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))

    def clean_tax_code(self) -> str:
        code = clean_tax_code_text(self.cleaned_data.get("tax_code") or "")
        if not code:
            return ""
        owner = duplicates.active_tax_code_owner(code, exclude_pk=self.instance.pk)
        if owner is not None:
            self.note_tax_code_owner(owner)
            raise forms.ValidationError(
                duplicates.tax_code_taken(self.user, code, owner), code="taken"
            )
        return code

    def note_tax_code_owner(self, owner: Beneficiary | None) -> None:
        """The record holding the tax code, linked from the page only if the user may see it."""
        visible = owner is not None and duplicates.may_identify(self.user, owner)
        self.tax_code_owner = owner if visible else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "tax_code" not in self.errors:
            try:
                check_tax_code_required(cleaned.get("kind"), cleaned.get("tax_code") or "")
            except forms.ValidationError as error:
                self.add_error("tax_code", error)
        if not self.errors and self._identity_changed():
            self._warn_about_duplicates(cleaned)
        return cleaned

    def _identity_changed(self) -> bool:
        return not self.instance.pk or bool(
            {"name", "tax_code", "commune"} & set(self.changed_data)
        )

    def _warn_about_duplicates(self, cleaned: dict[str, Any]) -> None:
        commune = cleaned.get("commune")
        found = duplicates.possible_duplicates(
            name=cleaned.get("name", ""),
            commune_id=commune.pk if commune else None,
            tax_code=cleaned.get("tax_code", ""),
            exclude_pk=self.instance.pk,
        )
        self.duplicates = [d for d in found if duplicates.may_identify(self.user, d.beneficiary)]
        self.hidden_duplicates = [
            duplicates.hidden_duplicate_label(d) for d in found if d not in self.duplicates
        ]
        if found and not cleaned.get("confirm_duplicates"):
            field = self.fields["confirm_duplicates"]
            field.widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "This may be an establishment that is already registered (listed "
                        "below). If it is a different one, tick “Save anyway” and save again."
                    ),
                    code="possible_duplicate",
                ),
            )
