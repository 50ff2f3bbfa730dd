"""Pagination that stops counting: searched lists count at most ``cap`` matches.

A common word matches tens of thousands of rows of a national register; counting them all,
then sorting them all by name to show 25, costs more than the page. Past the cap the list
says "more than 1,000 records", is shown in ``capped_ordering`` (an order the database
serves without sorting every match, e.g. newest first) and still pages on: each page reads
one row more than it shows to know whether a next page exists. Below the cap the count is
exact, the order is the list's own and pagination is Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from khuyencong.core import search

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        cap: int = COUNT_CAP,
        capped_ordering: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.cap = cap
        self.capped_ordering = capped_ordering

    @cached_property
    def counted(self) -> int:
        """Matches up to ``cap + 1``: one ``COUNT(*)`` over the first cap + 1 rows, unsorted."""
        rows = self.object_list
        if hasattr(rows, "order_by"):
            return rows.order_by()[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        """The exact count below the cap, else the cap (the template says "more than")."""
        return min(self.counted, self.cap)

    def validate_number(self, number: Any) -> int:
        """Django's checks; past the cap any page from 1 on (the real end is unknown)."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.capped or int(number) < 1:  # super() checked it is an integer
                raise
            return int(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + 1
        if self.capped_ordering:
            # an order the database serves: only a queryset is given one
            assert isinstance(self.object_list, QuerySet)
            ordered = self.object_list.order_by(*self.capped_ordering)
            rows = search.read_in_index_order(ordered[bottom:top])
        else:
            rows = list(self.object_list[bottom:top])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


class CappedPage(Page):
    """A page past the cap: whether a next one exists comes from the extra row read."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self) -> bool:
        return self.has_more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
