"""The document upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import StyledForm
from khuyencong.projects.forms.common import VersionField, checked_file
from khuyencong.projects.models import DocumentType, Project, ProjectEvent


class DocumentForm(StyledForm):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Number"), max_length=80, required=False)
    date = forms.DateField(label=_("Date"), required=False)
    event = forms.ModelChoiceField(
        label=_("Step"),
        queryset=ProjectEvent.objects.none(),
        required=False,
        help_text=_("Optional: the step of the project this document belongs to."),
    )
    file = forms.FileField(label=_("File"))
    expected_version = VersionField()

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = project.version
        self.fields["event"].queryset = project.events.effective().in_replay_order()
        self.fields["event"].label_from_instance = lambda event: (
            f"{event.effective_date:%d/%m/%Y} — {event.get_kind_display()}"
            + (f" ({event.document_number})" if event.document_number else "")
        )
        self.fields["file"].help_text = _("PDF, Word, Excel, JPEG or PNG, up to %(size)s.") % {
            "size": filesizeformat(settings.MAX_UPLOAD_SIZE)
        }

    def clean_file(self) -> Any:
        return checked_file(self.cleaned_data.get("file"))
