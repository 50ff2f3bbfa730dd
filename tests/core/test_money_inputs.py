"""Money fields carry the marker core/site.js groups digits on, and read grouped digits back."""

from __future__ import annotations

import pytest

from khuyencong.events.forms import MoneyField as EventMoney
from khuyencong.projects.fields import MoneyField as ProjectMoney
from khuyencong.registrations.forms import MoneyField as RegistrationMoney


@pytest.mark.parametrize("field_class", [ProjectMoney, RegistrationMoney, EventMoney])
def test_money_field_is_grouped_as_typed_and_parsed_back(field_class):
    field = field_class()
    html = field.widget.render(
        "amount",
        field.prepare_value(1_250_000_000),
        field.widget_attrs(field.widget) | field.widget.attrs,
    )
    assert "data-money" in html and 'value="1.250.000.000"' in html
    assert field.clean("1.250.000.000") == 1_250_000_000
    assert field.clean("1,5 tỷ") == 1_500_000_000
