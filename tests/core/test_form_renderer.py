"""The Python <select> writes exactly what Django's select templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from khuyencong.core.renderers import FormRenderer

CHOICES = [
    ("", "---------"),
    (1, 'Tỉnh "Bắc Kạn" <cũ> & mới'),
    (2, mark_safe("<b>an toàn</b>")),
    ("Nhóm", [("a", "Xã A"), ("b", "Xã B")]),
    (3, 0),
]


@pytest.mark.parametrize(
    "field",
    [
        forms.ChoiceField(choices=CHOICES, required=False),
        forms.ChoiceField(
            choices=CHOICES, widget=forms.Select(attrs={"data-x": 'q"1', "hx-get": True})
        ),
        forms.MultipleChoiceField(choices=CHOICES),
        forms.NullBooleanField(),
        forms.TypedChoiceField(choices=[(n, str(n)) for n in range(700)], coerce=int),
    ],
)
@pytest.mark.parametrize("value", [None, "1", ["1", "a"], "a", "3"])
def test_select_html_is_the_templates(field: forms.Field, value: object) -> None:
    class Form(forms.Form):
        choice = field

    if isinstance(field, forms.NullBooleanField) and isinstance(value, list):
        value = "true"  # a yes/no select takes one value
    data = {"choice": value} if value is not None else None
    ours = Form(data, renderer=FormRenderer())["choice"].as_widget()
    django = Form(data, renderer=DjangoTemplates())["choice"].as_widget()
    assert str(ours) == str(django)


def test_the_project_uses_it(settings) -> None:
    assert settings.FORM_RENDERER == "khuyencong.core.renderers.FormRenderer"
