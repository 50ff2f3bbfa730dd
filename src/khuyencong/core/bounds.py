"""Bounded integers from outside: the one parser of a number in a URL, a list filter or a form.

SQLite binds integers of at most 64 bits (``OverflowError`` past them) and PostgreSQL refuses a
value outside its column's type ("integer out of range"): a number a person typed, or put in a
URL, is parsed here within bounds before any query sees it. Money has its own bound
(``core.money.MAX_VND``), applied by ``parse_vnd``.

- ``parse_int`` / ``parse_id``: a query parameter read by hand (``?province=…``); anything
  else than an ASCII whole number within the bounds is ``None`` (the parameter is ignored).
- ``BoundedIntegerField``: a form field with bounds by default (a clear message past them).
- ``IntegerFilter`` / ``YearFilter``: the list filters of a whole number (django-filter's
  ``NumberFilter`` takes any decimal up to 1e50).
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

# Database ids are 64-bit (BigAutoField); a bound below the largest leaves room for any
# arithmetic on them. The API uses the same bounds (api/fields.py).
MAX_ID = 2**62
MIN_YEAR, MAX_YEAR = 2000, 2100  # a programme year (plans, registrations, contests, reports)
MAX_COUNT = 1_000_000  # people, booths, pages…: far above any real count

# ASCII digits only: str.isdigit() accepts "²" or "①", which int() refuses; at most 19
# digits, so a 5,000-digit parameter costs nothing to refuse.
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")


def parse_int(value: object, *, minimum: int, maximum: int) -> int | None:
    """``value`` (text from a URL or a form, or an int) as an int within the bounds, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip() if value is not None else ""
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A record id from a query parameter (``?province=12``), else None."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_year(value: object) -> int | None:
    """A programme year from a query parameter (``?year=2025``), else None."""
    return parse_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


class BoundedIntegerField(forms.IntegerField):
    """An integer form field that always has bounds (by default those of an id, signed).

    Past a bound, the message says what is allowed; nothing reaches the database.
    """

    default_error_messages = {
        "invalid": _("Enter a whole number."),
        "max_value": _("Enter a number no greater than %(limit_value)s."),
        "min_value": _("Enter a number no less than %(limit_value)s."),
    }

    def __init__(
        self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(
            min_value=-MAX_ID if min_value is None else min_value,
            max_value=MAX_ID if max_value is None else max_value,
            **kwargs,
        )


class IntegerFilter(django_filters.NumberFilter):
    """A list filter on a whole number, within bounds (``min_value``/``max_value``)."""

    field_class = BoundedIntegerField

    def get_max_validator(self) -> None:
        return None  # the field's own bounds apply


class YearFilter(IntegerFilter):
    """A list filter on a programme year (MIN_YEAR … MAX_YEAR)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


__all__ = [
    "MAX_COUNT",
    "MAX_ID",
    "MAX_YEAR",
    "MIN_YEAR",
    "BoundedIntegerField",
    "IntegerFilter",
    "YearFilter",
    "parse_id",
    "parse_int",
    "parse_year",
]
