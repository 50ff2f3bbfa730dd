"""Money in integer VND: parse, format, percentages and sums. Pure functions, no floats.

VND has no minor unit, so every amount in the system is a Python ``int`` (``BigIntegerField``
in the database). Input may arrive as "600.000.000", "600,000,000", "600 000 000 đ",
"600 triệu", "1,5 tỷ" or "1.5 tỷ"; output uses the Vietnamese grouping "600.000.000 đ".
Report wording ("600 triệu đồng") belongs to reports/wording.py, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from khuyencong.core.text import normalize

# Unit words (accent-insensitive) and their multipliers.
_UNITS: dict[str, int] = {
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "nghin": 1_000,
    "ngan": 1_000,
}
_CURRENCY_WORDS = ("vnd", "dong", "d")

# The largest amount the system takes in (typed, imported or sent to the API): one million
# billion đồng, far above any budget, within a 64-bit column on every database and exact as a
# JSON number read into a double (below 2**53).
MAX_VND = 10**15
_NUMBER = re.compile(r"^[0-9][0-9., ]*$")


class MoneyError(ValueError):
    """Bad money input; the message is user-facing (Vietnamese through gettext)."""


def _strip_currency(text: str) -> str:
    for word in _CURRENCY_WORDS:
        if text.endswith(word):
            return text[: -len(word)].strip()
    return text


def _integer_digits(number: str) -> int:
    """ "600.000.000", "600,000,000", "600 000 000", "600000000" -> 600000000."""
    groups = re.split(r"[., ]", number)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise MoneyError(_("Write the amount in whole đồng, e.g. 600.000.000."))
    return int("".join(groups))


def _decimal_with_unit(number: str) -> Decimal:
    """A number before a unit word: Vietnamese "1,5" or "1.5" (one decimal mark), or "1.500"."""
    number = number.replace(" ", "")
    if "," in number:  # Vietnamese decimal comma; dots before it group thousands
        whole, _sep, fraction = number.rpartition(",")
        whole = whole.replace(".", "")
        return Decimal(f"{whole or 0}.{fraction}")
    if number.count(".") == 1 and len(number.split(".")[1]) != 3:
        return Decimal(number)  # "1.5 tỷ"
    return Decimal(number.replace(".", ""))


def parse_vnd(text: str | int | None) -> int:
    """Parse an amount typed by a person into integer VND.

    Raises ``MoneyError`` (with a Vietnamese message) on anything that is not a non-negative
    whole number of đồng up to ``MAX_VND``.
    """
    if isinstance(text, bool):
        raise MoneyError(_("Enter an amount in đồng."))
    if isinstance(text, int):
        return _within_bounds(text)
    raw = normalize(text or "")
    if not raw:
        raise MoneyError(_("Enter an amount in đồng."))
    if raw.startswith("-"):
        raise MoneyError(_("An amount of money cannot be negative."))
    raw = _strip_currency(raw)
    multiplier = 1
    for word, value in _UNITS.items():
        if raw.endswith(word) and (len(raw) == len(word) or not raw[-len(word) - 1].isalpha()):
            multiplier = value
            raw = raw[: -len(word)].strip()
            break
    if not raw or not _NUMBER.match(raw):
        raise MoneyError(_("“%(text)s” is not an amount of money.") % {"text": text})
    try:
        if multiplier == 1:
            return _within_bounds(_integer_digits(raw.strip()))
        amount = _decimal_with_unit(raw.strip()) * multiplier
    except (InvalidOperation, ValueError) as error:
        if isinstance(error, MoneyError):
            raise
        raise MoneyError(_("“%(text)s” is not an amount of money.") % {"text": text}) from None
    if amount != amount.to_integral_value():
        raise MoneyError(_("Write the amount in whole đồng, e.g. 600.000.000."))
    return _within_bounds(int(amount))


def _within_bounds(amount: int) -> int:
    if amount < 0:
        raise MoneyError(_("An amount of money cannot be negative."))
    if amount > MAX_VND:
        raise MoneyError(
            _("An amount of money cannot exceed %(limit)s đồng.")
            % {"limit": group_thousands(MAX_VND)}
        )
    return amount


def group_thousands(amount: int) -> str:
    """600000000 -> "600.000.000" (Vietnamese grouping with dots)."""
    amount = to_vnd(amount, allow_negative=True)
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


def format_vnd(amount: int | None, *, symbol: str = "đ") -> str:
    """600000000 -> "600.000.000 đ"; ``None`` -> "" (unknown, not zero)."""
    if amount is None:
        return ""
    return f"{group_thousands(amount)} {symbol}".rstrip()


def to_vnd(value: object, *, allow_negative: bool = False) -> int:
    """Accept an int (or an integral Decimal) as VND; refuse floats and fractions."""
    if isinstance(value, bool | float):
        raise TypeError("VND amounts are integers, never floats")
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise TypeError("VND amounts are whole numbers")
        value = int(value)
    if not isinstance(value, int):
        raise TypeError(f"VND amount expected, got {type(value).__name__}")
    if value < 0 and not allow_negative:
        raise MoneyError(_("An amount of money cannot be negative."))
    return value


def percent_of(amount: int, percent: int | Decimal) -> int:
    """``percent`` % of ``amount``, rounded down to the đồng (caps never round up).

    ``percent_of(600_000_000, 70) == 420_000_000``.
    """
    amount = to_vnd(amount)
    share = Decimal(amount) * Decimal(percent) / Decimal(100)
    return int(share.to_integral_value(rounding=ROUND_FLOOR))


def share_percent(part: int, whole: int, *, places: int = 0) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when ``whole`` is 0), rounded down.

    ``share_percent(300, 600) == Decimal("50")``.
    """
    part = to_vnd(part, allow_negative=True)
    whole = to_vnd(whole, allow_negative=True)
    if whole == 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_FLOOR)


def sum_vnd(amounts: Iterable[int | None]) -> int:
    """Sum of amounts, ``None`` counting as nothing; refuses floats."""
    return sum((to_vnd(a, allow_negative=True) for a in amounts if a is not None), 0)
