"""Form fields and widgets of the plans and projects screens.

- ``MoneyField``: integer VND typed the Vietnamese way ("70.000.000", "70 triệu", "1,5 tỷ"),
  parsed by ``core.money.parse_vnd``; shown grouped with dots.
- ``PlaceField``: the administrative unit of a project (commune, district or province), chosen
  with the places picker among the units in force on the project's date.
- ``BeneficiaryPicker``: a search box (htmx, ``projects:beneficiary_search``) over the
  beneficiaries in the user's area, filling a hidden input; ``core/site.js`` handles the click
  (the same ``[data-picker]`` markup as the places picker, no inline script).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.money import MoneyError, group_thousands, parse_vnd
from khuyencong.places.models import AdminUnit
from khuyencong.places.widgets import AdminUnitChoiceField, AdminUnitPicker, DateOrCallable


class MoneyField(forms.Field):
    """A whole, non-negative amount of đồng; empty is ``None`` (or 0 with ``empty_zero``)."""

    widget = forms.TextInput

    def __init__(self, *, empty_zero: bool = False, **kwargs: Any) -> None:
        self.empty_zero = empty_zero
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "maxlength": "40", "data-money": ""}
        )
        return attrs

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value or "").strip()
        if not text:
            return 0 if self.empty_zero else None
        try:
            return parse_vnd(text)
        except MoneyError as error:
            raise ValidationError(str(error), code="money") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return group_thousands(value)
        return value


class PlaceField(AdminUnitChoiceField):
    """A project's place: a commune, district or province in force on the project's date.

    ``AdminUnitChoiceField`` with the picker searching every level (a province-wide project
    such as the product vote sits at the province) and both eras, each result marked with its
    era: a new project's date is typed in the same form, after the page was drawn, so the
    search cannot know it; a recorded one's date (``search_on``) narrows the search.
    ``valid_on`` checks the choice when the form is sent. The search stays in the user's
    area (``province_id``, ``district_id``).
    """

    def __init__(
        self,
        *,
        queryset: Any = None,
        valid_on: DateOrCallable = None,
        province_id: int | None = None,
        district_id: int | None = None,
        search_on: DateOrCallable = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label", _("Place"))
        kwargs.setdefault(
            "widget",
            AdminUnitPicker(
                level=None, valid_on=search_on, province_id=province_id, district_id=district_id
            ),
        )
        super().__init__(level="commune", valid_on=valid_on, **kwargs)
        self.queryset = (queryset if queryset is not None else AdminUnit.objects.all()).with_path()

    def to_python(self, value: Any) -> AdminUnit | None:
        # Any level is right here: skip the parent's "wrong level" explanation.
        return forms.ModelChoiceField.to_python(self, value)


class BeneficiaryPicker(forms.Widget):
    """Hidden input (the beneficiary's pk) + the chosen name + a search box."""

    template_name = "projects/widgets/beneficiary_picker.html"

    def format_value(self, value: Any) -> str:
        if hasattr(value, "pk"):
            return str(value.pk)
        return "" if value in (None, "") else str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        chosen = widget["value"]
        widget["choice"] = (
            Beneficiary.objects.select_related("commune__parent").filter(pk=int(chosen)).first()
            if str(chosen).isdigit()
            else None
        )
        widget["search_url"] = reverse("projects:beneficiary_search")
        widget["input_id"] = widget["attrs"].get("id") or f"id_{name}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_search" if id_ else id_
