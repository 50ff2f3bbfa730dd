"""Vietnamese tax codes (mã số thuế, MST): validation and the one canonical form.

- 10 digits ``N1…N10``: N1N2 is the province where the code was issued, N3–N9 a sequence
  (0000001–9999999), N10 the check digit::

      N10 = 10 − (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11

  A result of 10 (the weighted sum divisible by 11) means no valid code has those nine digits.
  The rule matches python-stdnum's ``stdnum.vn.mst`` (checked 2026-11).
- 13 digits for a dependent unit (branch): the parent's 10 digits, a dash, a branch number
  001–999. Typed with or without the dash; stored as ``0123456789-001``.

Spaces and dots typed between digits are ignored, full-width digits are accepted. Every
weight is non-zero modulo 11, so changing any single digit of a valid code makes it invalid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SHAPE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
_IGNORED = re.compile(r"[\s.]")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})

MESSAGES: dict[str, Promise] = {
    "format": _("A tax code has 10 digits, or 13 digits for a branch (written 0123456789-001)."),
    "sequence": _("Digits 3 to 9 of a tax code cannot all be zero."),
    "branch": _("The branch number (the last 3 digits) must be between 001 and 999."),
    "check_digit": _("This tax code is not valid: its check digit (the 10th digit) is wrong."),
}


class InvalidTaxCode(ValueError):
    """``code`` is a key of ``MESSAGES``; ``message`` the translated explanation."""

    def __init__(self, code: str):
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(code)


@dataclass(frozen=True)
class TaxCode:
    base: str  # the 10 digits
    branch: str = ""  # "" or 3 digits

    def __str__(self) -> str:
        return f"{self.base}-{self.branch}" if self.branch else self.base


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no digit works (the sum is ≡ 0 mod 11)."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("nine digits expected")
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def with_check_digit(first_nine: str) -> str | None:
    """The valid 10-digit code starting with ``first_nine``, if there is one."""
    digit = check_digit(first_nine)
    return None if digit is None else f"{first_nine}{digit}"


def parse(raw: str) -> TaxCode:
    """Parse and validate typed input; raise ``InvalidTaxCode`` saying what is wrong."""
    text = unicodedata.normalize("NFKC", raw or "").translate(_DASHES)
    match = _SHAPE.match(_IGNORED.sub("", text))
    if not match:
        raise InvalidTaxCode("format")
    base, branch = match.group(1), match.group(2) or ""
    if base[2:9] == "0000000":
        raise InvalidTaxCode("sequence")
    if branch == "000":
        raise InvalidTaxCode("branch")
    if check_digit(base[:9]) != int(base[9]):
        raise InvalidTaxCode("check_digit")
    return TaxCode(base, branch)


def normalize(raw: str) -> str:
    """The canonical form ("0123456789" or "0123456789-001"); raises ``InvalidTaxCode``."""
    return str(parse(raw))


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except InvalidTaxCode:
        return False
    return True
