"""The commune chooser: the picker widget (``places.widgets.AdminUnitPicker``) over the
communes it is given; a district is not a commune."""

from __future__ import annotations

import pytest
from django import forms

from khuyencong.beneficiaries.forms import commune_field
from khuyencong.places.models import AdminUnit
from khuyencong.places.widgets import AdminUnitPicker
from tests.beneficiaries.factories import CommuneFactory, DistrictFactory


@pytest.mark.django_db
def test_the_picker_chooses_communes_of_the_queryset_only():
    inside = CommuneFactory()
    outside = CommuneFactory()
    field = commune_field(AdminUnit.objects.filter(pk=inside.pk))
    assert isinstance(field.widget, AdminUnitPicker) and field.widget.level == "commune"
    assert field.clean(inside.pk) == inside
    for bad in [outside.pk, "nope", "' OR 1=1 --"]:
        with pytest.raises(forms.ValidationError):
            field.clean(bad)
    with pytest.raises(forms.ValidationError):
        field.clean("")  # required


@pytest.mark.django_db
def test_districts_are_not_communes():
    district = DistrictFactory()
    with pytest.raises(forms.ValidationError):
        commune_field(AdminUnit.objects.communes()).clean(district.pk)
