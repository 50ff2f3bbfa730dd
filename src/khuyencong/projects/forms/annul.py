"""The annulment and correction forms (issue 20): the reason, the corrected values, and the
confirmation flag of the second POST. The rules are the service's (``services.annul_event``,
``annul_progress``, ``correct_event``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledForm
from khuyencong.projects.fields import MoneyField
from khuyencong.projects.forms.common import VersionField, style_new_fields
from khuyencong.projects.models import EventKind, ProjectEvent


class AnnulForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for the annulment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the annulment and shown in the timeline and the audit trail."),
    )
    expected_version = VersionField()
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = version


class CorrectForm(AnnulForm):
    """The corrected values of an event, prefilled with the recorded ones."""

    effective_date = forms.DateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Document number"), max_length=80, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)

    def __init__(self, *args: Any, event: ProjectEvent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["reason"].label = _("Reason for the correction")
        for name in ("effective_date", "document_number", "document_date", "issuer"):
            self.fields[name].initial = getattr(event, name)
        if event.kind in (EventKind.ACCEPT, EventKind.SETTLE):
            self.fields["amount"] = MoneyField(
                label=_("Amount (VND)"), required=event.kind == EventKind.SETTLE
            )
            self.fields["amount"].initial = event.amount
        style_new_fields(self)
        self.order_fields(
            ["effective_date", "document_number", "document_date", "issuer", "amount", "reason"]
        )

    def changes(self) -> dict[str, Any]:
        names = ["effective_date", "document_number", "document_date", "issuer"]
        if "amount" in self.fields:
            names.append("amount")
        return {name: self.cleaned_data.get(name) for name in names}
