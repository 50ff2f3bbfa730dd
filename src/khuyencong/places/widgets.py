"""The administrative-unit picker: a search box (htmx, ``places:search``) that fills a hidden
input with the chosen unit's primary key, and ``AdminUnitChoiceField``, the form field that
uses it and refuses a unit of another level or one not in force on the record's date.

The click on a result is handled by ``core/static/core/site.js`` (``[data-picker]``,
``[data-picker-value]``, ``[data-picker-label]``, ``[data-picker-search]``,
``.picker-results``): no inline script.

    commune = AdminUnitChoiceField(level="commune", valid_on=datetime.date(2018, 6, 30))
    form.fields["commune"].set_valid_on(project.approved_on)  # when the date is known later
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from khuyencong.places.models import UNIT_NOUNS, AdminUnit, Level

DateOrCallable = datetime.date | Callable[[], datetime.date | None] | None


def _resolve(day: DateOrCallable) -> datetime.date | None:
    return day() if callable(day) else day


class AdminUnitPicker(forms.Widget):
    """Hidden input (the unit's pk) + the chosen unit's full path + a search box.

    ``level`` and ``valid_on`` (a date, a callable returning one, or None for any date)
    narrow the search; ``province_id`` keeps it to one province and the legacy provinces
    merged into it, ``district_id`` to one district and its communes (the user's area).
    """

    template_name = "places/widgets/admin_unit_picker.html"

    def __init__(
        self,
        level: str | None = Level.COMMUNE,
        valid_on: DateOrCallable = None,
        province_id: int | None = None,
        attrs: dict[str, Any] | None = None,
        district_id: int | None = None,
    ) -> None:
        super().__init__(attrs)
        self.level = level
        self.valid_on = valid_on
        self.province_id = province_id
        self.district_id = district_id

    def search_url(self) -> str:
        params: dict[str, str] = {}
        if self.level:
            params["level"] = str(self.level)
        day = _resolve(self.valid_on)
        if day is not None:
            params["on"] = day.isoformat()
        if self.province_id is not None:
            params["province"] = str(self.province_id)
        if self.district_id is not None:
            params["district"] = str(self.district_id)
        url = reverse("places:search")
        return f"{url}?{urlencode(params)}" if params else url

    def format_value(self, value: Any) -> str:
        if isinstance(value, AdminUnit):
            return str(value.pk)
        return "" if value in (None, "") else str(value)

    def chosen_unit(self, value: str) -> AdminUnit | None:
        if not value.isdigit():
            return None
        return AdminUnit.objects.with_path().filter(pk=int(value)).first()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        unit = self.chosen_unit(widget["value"])
        widget["unit"] = unit
        widget["search_url"] = self.search_url()
        widget["input_id"] = widget["attrs"].get("id") or f"id_{name}"
        return context

    def id_for_label(self, id_: str) -> str:
        # The <label> focuses the search box, the one element a person types into.
        return f"{id_}_search" if id_ else id_


class AdminUnitChoiceField(forms.ModelChoiceField):
    """A unit of one ``level``; with ``valid_on`` (a date or a callable returning one), only a
    unit in force on that date is accepted, with a message saying why otherwise."""

    default_error_messages = {
        "wrong_level": _("“%(unit)s” is not a %(level)s unit."),
        "not_valid_on": _(
            "“%(unit)s” was not in force on %(date)s (%(period)s). "
            "Choose the administrative unit that existed on that date."
        ),
    }

    def __init__(
        self,
        level: str = Level.COMMUNE,
        valid_on: DateOrCallable = None,
        province_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.level = Level(level)
        self.valid_on = valid_on
        kwargs.setdefault(
            "widget", AdminUnitPicker(level=level, valid_on=valid_on, province_id=province_id)
        )
        kwargs.setdefault("label", UNIT_NOUNS[self.level])
        super().__init__(AdminUnit.objects.filter(level=level).with_path(), **kwargs)

    def set_valid_on(self, day: DateOrCallable) -> None:
        """Narrow to the units in force on ``day`` (e.g. once the form knows the record)."""
        self.valid_on = day
        if isinstance(self.widget, AdminUnitPicker):
            self.widget.valid_on = day

    def to_python(self, value: Any) -> AdminUnit | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                other = AdminUnit.objects.with_path().filter(pk=_as_pk(value)).first()
                if other is not None:
                    raise ValidationError(
                        self.error_messages["wrong_level"],
                        code="wrong_level",
                        params={"unit": other.full_path, "level": self.level.label.lower()},
                    ) from error
            raise

    def validate(self, value: AdminUnit | None) -> None:
        super().validate(value)
        day = _resolve(self.valid_on)
        if value is None or day is None or value.is_valid_on(day):
            return
        raise ValidationError(
            self.error_messages["not_valid_on"],
            code="not_valid_on",
            params={
                "unit": value.full_path,
                "date": date_format(day, "SHORT_DATE_FORMAT"),
                "period": value.validity_text,
            },
        )


def _as_pk(value: Any) -> int | None:
    if isinstance(value, AdminUnit):
        return value.pk
    text = str(value).strip()
    return int(text) if text.isdigit() else None
