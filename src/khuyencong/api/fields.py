"""Field types shared by the API schemas: bounded numbers, clean text, pages."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Generic, TypeVar

from annotated_types import Ge, Le, MaxLen
from ninja import Schema
from pydantic import AfterValidator, Field

from khuyencong.core.bounds import MAX_COUNT, MAX_ID, MAX_YEAR, MIN_YEAR
from khuyencong.core.money import MAX_VND
from khuyencong.core.text import clean_text

# The bounds of the forms and list filters (core.bounds, core.money): one rule for both.
MAX_MONEY = MAX_VND

Id = Annotated[int, Ge(1), Le(MAX_ID)]
Money = Annotated[int, Ge(0), Le(MAX_MONEY)]
Percent = Annotated[int, Ge(0), Le(100)]
Year = Annotated[int, Ge(MIN_YEAR), Le(MAX_YEAR)]
Count = Annotated[int, Ge(0), Le(MAX_COUNT)]


def _clean(value: str) -> str:
    """Control characters and lone surrogates out, NFC, trimmed (as every form does)."""
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cs")
    return clean_text(value).replace("\x00", "")


def Text(max_length: int) -> type[str]:
    return Annotated[str, MaxLen(max_length), AfterValidator(_clean)]  # type: ignore[return-value]


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="Number of records matching the filters.")
    page: int
    page_size: int
    results: list[T]


class PageParams(Schema):
    page: Annotated[int, Ge(1), Le(MAX_COUNT)] = 1
    page_size: Annotated[int, Ge(1), Le(500)] = 50


def paginate(queryset, params: PageParams, serialize) -> dict:
    """One page of ``queryset`` (``serialize`` turns a row into the output schema's dict)."""
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    rows = list(queryset[start : start + params.page_size]) if start < count else []
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [serialize(row) for row in rows],
    }
