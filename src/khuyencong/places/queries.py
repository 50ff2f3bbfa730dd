"""Reads over the administrative units (selectors): the picker search, the detail page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from khuyencong.core.search import search
from khuyencong.core.text import compact, normalize
from khuyencong.places.models import CURRENT_START, LEVEL_RANK, AdminUnit, AdminUnitSuccession

SEARCH_LIMIT = 20


def unit_search(
    query: str | None,
    *,
    level: str | None = None,
    on: datetime.date | None = None,
    province_id: int | None = None,
    district_id: int | None = None,
) -> QuerySet[AdminUnit]:
    """Units whose names (or their parents' names, or code) hold every word of ``query``,
    accents ignored: "na ri" finds Huyện Na Rì and the communes of Na Rì.

    Ordered best first: the short name equal to the query ("Na Rì"), then starting with it,
    then the query as a phrase of whole words (the communes of Huyện Na Rì), then the rest;
    current units before legacy ones, provinces before districts before communes. ``on``
    keeps the units in force that day; ``province_id`` keeps the units of that province (and
    of the legacy provinces merged into it), ``district_id`` the district and its communes
    (a district officer's area). For a day before 1 July 2025 the older units come first
    (a commune merged in 2020 before the commune it became). Parents are joined.
    """
    key = compact(query)
    if not key:
        return AdminUnit.objects.none()
    queryset = search(AdminUnit.objects.all(), query)
    if level:
        queryset = queryset.filter(level=level)
    if on is not None:
        queryset = queryset.valid_on(on)
    if province_id is not None:
        queryset = queryset.filter(province_id__in=AdminUnit.province_family_ids(province_id))
    if district_id is not None:
        queryset = queryset.filter(Q(pk=district_id) | Q(parent_id=district_id))
    oldest_first = on is not None and on < CURRENT_START
    return best_matches_first(queryset, query, oldest_first=oldest_first).with_path()


def best_matches_first(
    queryset: QuerySet[AdminUnit], query: str | None, *, oldest_first: bool = False
) -> QuerySet[AdminUnit]:
    """Order units matching ``query`` best first (see ``unit_search``); ``oldest_first``: the
    units ending earliest first, the newest era last."""

    key = compact(query)
    phrase = normalize(query)
    match_rank = Case(
        When(short_key=key, then=Value(0)),
        When(key=key, then=Value(0)),
        When(short_key__startswith=key, then=Value(1)),
        # The words as a whole phrase: "na ri" in "... na ri bac kan" (a commune of Na Rì),
        # before mere substrings ("na" in "nam", "ri" in "pring").
        When(padded_search_text__contains=f" {phrase} ", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    era: tuple[Any, ...] = (
        (F("valid_to").asc(nulls_last=True), F("valid_from").asc(nulls_first=True))
        if oldest_first
        else ("era",)
    )
    return (
        queryset.alias(padded_search_text=Concat(Value(" "), "search_text", Value(" ")))
        .annotate(match_rank=match_rank, level_rank=LEVEL_RANK)
        .order_by("match_rank", *era, "level_rank", "short_key", "code")
    )


def unit_successions(
    unit: AdminUnit,
) -> tuple[list[AdminUnitSuccession], list[AdminUnitSuccession]]:
    """(what the unit came from, what it became), each with the full paths joined."""
    predecessors = list(
        unit.predecessions.select_related("predecessor__parent__parent").order_by(
            "predecessor__code"
        )
    )
    successors = list(
        unit.successions.select_related("successor__parent__parent").order_by(
            "-is_default", "successor__code"
        )
    )
    return predecessors, successors
