"""Create/edit forms for catalog rows (system administrators only).

A row's ``code`` is what the rest of the code refers to, so it is set once, at creation, and
cannot be edited afterwards.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.catalog.models import (
    BeneficiaryKind,
    ContentArea,
    FundingSource,
    Industry,
    LegalBasis,
)
from khuyencong.core.forms import VersionedModelForm

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
VALIDITY = ["valid_from", "valid_to", "confirmed", "notes"]


class CatalogForm(VersionedModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot change: other records use it.")
        else:
            self.fields["code"].help_text = _(
                "Lower-case letters, digits and underscores, starting with a letter."
            )

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not self.instance.pk and not CODE_PATTERN.match(code):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and underscores, starting with a letter.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of validity cannot be before its start."))
        return cleaned


class LegalBasisForm(CatalogForm):
    class Meta:
        model = LegalBasis
        fields = ["code", "doc_type", "number", "issued_on", "issuer", "title", *VALIDITY]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, start = cleaned.get("issued_on"), cleaned.get("valid_from")
        if issued and start and start < issued:
            self.add_error("valid_from", _("A document cannot be in force before it is issued."))
        return cleaned


class FundingSourceForm(CatalogForm):
    class Meta:
        model = FundingSource
        fields = ["code", "short_name", "name", "name_en", "sort_order", *VALIDITY]


class BeneficiaryKindForm(CatalogForm):
    class Meta:
        model = BeneficiaryKind
        fields = [
            "code",
            "short_name",
            "name",
            "name_en",
            "tax_code_required",
            "sort_order",
            *VALIDITY,
        ]


class IndustryForm(CatalogForm):
    class Meta:
        model = Industry
        fields = ["code", "name", "name_en", "legal_basis", "article", "sort_order", *VALIDITY]


class ContentAreaForm(CatalogForm):
    class Meta:
        model = ContentArea
        fields = [
            "code",
            "parent",
            "name",
            "name_en",
            "legal_basis",
            "article",
            "sort_order",
            *VALIDITY,
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = ContentArea.objects.filter(parent__isnull=True)
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = groups
        self.fields["parent"].help_text = _("Leave empty for a group (a numbered item).")

    def clean_parent(self) -> ContentArea | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and self.instance.children.exists():
            raise forms.ValidationError(
                _("This group has items of its own, so it cannot become an item of another group.")
            )
        return parent
