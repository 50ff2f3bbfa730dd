"""``AdminUnitChoiceField`` and its ``AdminUnitPicker`` widget."""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.utils import translation

from khuyencong.core.forms import StyledForm
from khuyencong.places.models import Era, Level
from khuyencong.places.widgets import AdminUnitChoiceField, AdminUnitPicker
from tests.places.factories import cuong_loi_legacy, thai_nguyen_current, unit

pytestmark = pytest.mark.django_db

IN_2018 = datetime.date(2018, 6, 30)
IN_2025 = datetime.date(2025, 8, 1)


def form_class(**field_kwargs):
    class CommuneForm(StyledForm):
        commune = AdminUnitChoiceField(**field_kwargs)

    return CommuneForm


def current_cuong_loi():
    return unit(Era.CURRENT, Level.COMMUNE, "Xã Cường Lợi", "Thái Nguyên")


def test_accepts_a_commune_in_force_on_the_date():
    form = form_class(level=Level.COMMUNE, valid_on=IN_2018)({"commune": cuong_loi_legacy().pk})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"] == cuong_loi_legacy()


def test_refuses_a_legacy_commune_after_the_reform_in_vietnamese():
    form = form_class(level=Level.COMMUNE, valid_on=IN_2025)({"commune": cuong_loi_legacy().pk})
    with translation.override("vi"):
        assert not form.is_valid()
        assert form.errors.as_data()["commune"][0].code == "not_valid_on"
        assert form.errors["commune"] == [
            "“Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn” không có hiệu lực vào ngày 01/08/2025 "
            "(có hiệu lực đến 30/06/2025). Hãy chọn đơn vị hành chính có hiệu lực vào ngày đó."
        ]


def test_refuses_a_current_commune_before_the_reform():
    form = form_class(valid_on=IN_2018)({"commune": current_cuong_loi().pk})
    assert not form.is_valid()
    assert form.errors.as_data()["commune"][0].code == "not_valid_on"


def test_refuses_a_unit_of_another_level_saying_so():
    district = cuong_loi_legacy().parent
    form = form_class(level=Level.COMMUNE)({"commune": district.pk})
    with translation.override("vi"):
        assert not form.is_valid()
        assert form.errors["commune"] == [
            "“Huyện Na Rì, Tỉnh Bắc Kạn” không phải đơn vị hành chính cấp xã."
        ]
    province_form = form_class(level=Level.PROVINCE)({"commune": thai_nguyen_current().pk})
    assert province_form.is_valid()


def test_unknown_pk_is_an_invalid_choice():
    form = form_class()({"commune": "999999999"})
    assert not form.is_valid()
    assert form.errors.as_data()["commune"][0].code == "invalid_choice"
    assert not form_class()({"commune": "abc"}).is_valid()


def test_date_can_be_given_later_or_as_a_callable():
    form = form_class()({"commune": cuong_loi_legacy().pk})
    form.fields["commune"].set_valid_on(IN_2025)
    assert not form.is_valid()
    assert "on=2025-08-01" in form.fields["commune"].widget.search_url()

    day = {"value": IN_2018}
    lazy = form_class(valid_on=lambda: day["value"])({"commune": cuong_loi_legacy().pk})
    assert lazy.is_valid()


def test_not_required_field_accepts_empty():
    form = form_class(required=False)({"commune": ""})
    assert form.is_valid()
    assert form.cleaned_data["commune"] is None


def test_widget_renders_the_picker_parts(django_assert_num_queries):
    form = form_class(level=Level.COMMUNE, valid_on=IN_2018, required=False)(
        initial={"commune": cuong_loi_legacy()}
    )
    with django_assert_num_queries(1):  # the chosen unit with its parents, nothing else
        html = str(form["commune"])
    pk = cuong_loi_legacy().pk
    assert "data-picker" in html
    assert re.search(rf'<input type="hidden" name="commune" id="id_commune" value="{pk}">', html)
    assert "<span data-picker-label>Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn</span>" in html
    assert "data-picker-search" in html
    assert 'hx-get="/places/search/?level=commune&amp;on=2018-06-30"' in html
    assert 'class="picker-results' in html
    assert 'data-picker-value=""' in html  # "clear" for an optional field
    assert "<script" not in html
    # The search box belongs to no form: its text is never submitted with the record.
    assert re.search(r'name="q" form="id_commune_none"', html)
    assert form["commune"].id_for_label == "id_commune_search"


def test_widget_alone_without_a_value():
    widget = AdminUnitPicker(level=Level.DISTRICT)
    html = widget.render("district", None, attrs={"id": "id_district"})
    assert 'value=""' in html
    assert 'hx-get="/places/search/?level=district"' in html
    assert isinstance(AdminUnitChoiceField().widget, AdminUnitPicker)
    assert isinstance(AdminUnitChoiceField(widget=forms.Select).widget, forms.Select)
