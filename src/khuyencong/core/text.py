"""Vietnamese text helpers: accent-insensitive normalisation for search and matching."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(text: str | None) -> str:
    """Lower-case ASCII form of ``text`` for accent-insensitive search ("Na Rì" -> "na ri").

    Đ/đ become d (unidecode does this), runs of whitespace collapse to one space.
    """
    if not text:
        return ""
    ascii_text = unidecode(unicodedata.normalize("NFC", str(text)))
    return _SPACES.sub(" ", ascii_text).strip().lower()


def compact(text: str | None) -> str:
    """``normalize`` without any spaces or punctuation: "Xã Nông Thượng" -> "xanongthuong"."""
    return re.sub(r"[^a-z0-9]", "", normalize(text))


def clean_text(text: str | None) -> str:
    """Strip control characters and surrounding whitespace from user input (keeps newlines)."""
    if text is None:
        return ""
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(text))).strip()
