"""The one form style: Bootstrap classes on every widget, clean text, optimistic versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core.bounds import BoundedIntegerField
from khuyencong.core.choices import cached_choices
from khuyencong.core.models import DomainModel, VersionConflict
from khuyencong.core.text import clean_text

# Dates are typed and shown dd/mm/yyyy whatever the browser's language: a text field (a
# browser's own date field follows its locale, mm/dd/yyyy in en-US), parsed with the
# language's DATE_INPUT_FORMATS (formats/vi, formats/en: dd/mm/yyyy first); core/site.js adds
# a calendar button that opens the browser's own calendar and writes the chosen day back.
DATE_DISPLAY_FORMAT = "%d/%m/%Y"


def style_date_input(widget: forms.DateInput) -> None:
    widget.input_type = "text"
    widget.format = DATE_DISPLAY_FORMAT
    widget.attrs.update(
        {
            "data-date-input": "",
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "maxlength": "10",
            "title": _("A date as day/month/year, e.g. 30/06/2018"),
        }
    )


class StyledFormMixin:
    """Adds Bootstrap classes to widgets and strips control characters from text input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                style_date_input(widget)
            if isinstance(field, forms.ModelChoiceField):
                cached_choices(field)  # reference data: the list kept between requests

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        return cleaned


class StyledForm(StyledFormMixin, forms.Form):
    pass


class VersionedModelForm(StyledFormMixin, forms.ModelForm):
    """A model form that refuses to overwrite a record someone else saved meanwhile.

    The version read when the form was opened travels in a hidden field; ``save`` compares it
    with the stored one inside a transaction and raises ``VersionConflict`` when they differ.
    Views catch it with ``core.views.VersionedUpdateView``: the second writer sees a clear
    message and gets their input back.
    """

    expected_version = BoundedIntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["expected_version"].initial = self.instance.version

    def clean_expected_version(self) -> int | None:
        value = self.cleaned_data.get("expected_version")
        if self.instance.pk and value is None:
            raise forms.ValidationError(_("The form is missing its version; reload the page."))
        return value

    def save(self, commit: bool = True) -> DomainModel:
        instance: DomainModel = super().save(commit=False)
        if not commit:
            return instance
        if instance.pk:
            instance.save_versioned(self.cleaned_data["expected_version"])
        else:
            instance.save()
        self.save_m2m()  # set by save(commit=False) above
        return instance


__all__ = ["StyledForm", "StyledFormMixin", "VersionConflict", "VersionedModelForm"]
