"""The commune chooser: the code fallback today, the picker widget once it is merged."""

from __future__ import annotations

import sys
import types

import pytest
from django import forms

from khuyencong.beneficiaries.forms import CommuneCodeField, commune_field
from khuyencong.places.models import AdminUnit, Era
from tests.beneficiaries.factories import CommuneFactory, DistrictFactory, ProvinceFactory


@pytest.fixture
def no_picker(monkeypatch):
    monkeypatch.setitem(sys.modules, "khuyencong.places.widgets", None)  # import fails


@pytest.mark.django_db
def test_fallback_resolves_a_code_and_prefers_the_current_unit(no_picker):
    old = CommuneFactory(code="T77001")
    current_province = ProvinceFactory(era=Era.CURRENT)
    new = CommuneFactory(
        era=Era.CURRENT, code="T77001", parent=current_province, province=current_province
    )
    field = commune_field(AdminUnit.objects.communes())
    assert isinstance(field, CommuneCodeField)
    assert field.clean(" T77001 ") == new
    assert commune_field(AdminUnit.objects.filter(pk=old.pk)).clean("T77001") == old
    assert field.prepare_value(old.pk) == "T77001"
    assert field.prepare_value(new) == "T77001"


@pytest.mark.django_db
def test_fallback_refuses_codes_outside_the_queryset(no_picker):
    inside = CommuneFactory()
    outside = CommuneFactory()
    field = commune_field(AdminUnit.objects.filter(pk=inside.pk))
    for bad in [outside.code, "nope", "' OR 1=1 --"]:
        with pytest.raises(forms.ValidationError):
            field.clean(bad)
    with pytest.raises(forms.ValidationError):
        field.clean("")  # required


@pytest.mark.django_db
def test_districts_are_not_communes(no_picker):
    district = DistrictFactory()
    with pytest.raises(forms.ValidationError):
        commune_field(AdminUnit.objects.communes()).clean(district.code)


def test_picker_is_used_once_the_places_widget_exists(monkeypatch):
    class AdminUnitPicker(forms.TextInput):
        def __init__(self, level: str):
            self.level = level
            super().__init__()

    module = types.ModuleType("khuyencong.places.widgets")
    module.AdminUnitPicker = AdminUnitPicker
    monkeypatch.setitem(sys.modules, "khuyencong.places.widgets", module)
    field = commune_field(AdminUnit.objects.none())
    assert type(field) is forms.ModelChoiceField
    assert isinstance(field.widget, AdminUnitPicker)
    assert field.widget.level == "commune"
