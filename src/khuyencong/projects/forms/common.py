"""Pieces the project forms share: the version field, Bootstrap classes for fields added
late, checked attachments, the budget fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from khuyencong.core.bounds import BoundedIntegerField
from khuyencong.core.uploads import check_upload
from khuyencong.projects.models import DocumentType


class VersionField(BoundedIntegerField):
    """The record version the form was opened with (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": _MISSING_VERSION})
        super().__init__(min_value=1, **kwargs)


_MISSING_VERSION = _("The form is missing its version; reload the page.")


def style_new_fields(form: forms.Form) -> None:
    """Give fields added after ``StyledForm.__init__`` the same Bootstrap classes."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs or isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs["class"] = "form-control"
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


def checked_file(file: Any) -> Any:
    """A file passes ``core.uploads.check_upload`` (size, real type) or a form error."""
    if file:
        try:
            check_upload(file)
        except ValidationError as error:
            raise forms.ValidationError(error.messages, code=error.code) from None
    return file


def attachment_fields(form: forms.Form, *, doc_type: str | None = None) -> None:
    """Optional file attached to what the form records (an event or a progress update)."""
    form.fields["attachment"] = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("Optional. PDF, Word, Excel, JPEG or PNG, up to %(size)s.")
        % {"size": filesizeformat(settings.MAX_UPLOAD_SIZE)},
    )
    if doc_type is None:
        form.fields["attachment_type"] = forms.ChoiceField(
            label=_("Type of the attached file"),
            choices=DocumentType.choices,
            initial=DocumentType.OTHER,
            required=False,
        )
    form.fields["attachment_title"] = forms.CharField(
        label=_("Title of the attached file"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to name it automatically."),
    )


BUDGET_FIELDS = ("budget_national", "budget_local", "budget_counterpart", "budget_other")
BUDGET_LABELS = {
    "budget_national": _("National fund (VND)"),
    "budget_local": _("Local fund (VND)"),
    "budget_counterpart": _("Beneficiary counterpart (VND)"),
    "budget_other": _("Other sources (VND)"),
}
