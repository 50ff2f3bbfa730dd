"""Vietnamese text helpers: accent-insensitive normalisation for search and matching."""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils.formats import date_format
from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
# unidecode() of each Latin letter with diacritics (Latin-1 to Latin Extended-B, the
# combining marks, Latin Extended Additional: all of Vietnamese and most European names).
_TO_ASCII = {
    codepoint: unidecode(chr(codepoint))
    for start, end in ((0x80, 0x370), (0x1E00, 0x1F00))
    for codepoint in range(start, end)
}


def normalize(text: str | None) -> str:
    """Lower-case ASCII form of ``text`` for accent-insensitive search ("Na Rì" -> "na ri").

    Đ/đ become d (unidecode does this), runs of whitespace collapse to one space.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    if not text.isascii():
        # unidecode replaces each character on its own, so a table of its replacements gives
        # its text, without its Python loop over the characters (most of the national
        # import's duplicate matching was that loop); characters outside the table: unidecode
        ascii_text = text.translate(_TO_ASCII)
        text = ascii_text if ascii_text.isascii() else unidecode(text)
    return " ".join(text.split()).lower()  # the same spaces as \s+ (str.isspace)


def compact(text: str | None) -> str:
    """``normalize`` without any spaces or punctuation: "Xã Nông Thượng" -> "xanongthuong"."""
    return _NOT_ALNUM.sub("", normalize(text))


def clean_text(text: str | None) -> str:
    """Strip control characters and surrounding whitespace from user input (keeps newlines)."""
    if text is None:
        return ""
    return without_control(unicodedata.normalize("NFC", str(text))).strip()


def without_control(text: str) -> str:
    """``text`` without control characters (NUL…), newlines and tabs kept."""
    return _CONTROL.sub("", text)


def day_text(day: datetime.date) -> str:
    """A date as Vietnamese documents write it: 30/06/2018."""
    return date_format(day, "d/m/Y")
