"""Capped counting of searched lists (core.pagination): exact below the cap, "more than"
past it, pages still reachable, two queries a page whatever the matches."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.core.pagination import CappedPaginator
from khuyencong.places.models import AdminUnit


def units(n: int):
    """``n`` administrative units (loaded once per test session), by name."""
    pks = list(AdminUnit.objects.order_by("pk").values_list("pk", flat=True)[:n])
    assert len(pks) == n
    return AdminUnit.objects.filter(pk__in=pks).order_by("name", "pk")


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [0, 1, 9, 10])
def test_exact_count_and_pages_up_to_the_cap(rows):
    capped = CappedPaginator(units(rows), 3, cap=10)
    plain = Paginator(units(rows), 3)
    assert not capped.capped
    assert capped.count == plain.count == rows
    assert capped.num_pages == plain.num_pages
    for number in plain.page_range:
        ours, theirs = capped.page(number), plain.page(number)
        assert list(ours) == list(theirs)
        assert (ours.has_next(), ours.end_index()) == (theirs.has_next(), theirs.end_index())
    with pytest.raises(EmptyPage):
        capped.page(plain.num_pages + 1)


@pytest.mark.django_db
def test_one_match_past_the_cap_is_capped():
    paginator = CappedPaginator(units(11), 3, cap=10)
    assert paginator.capped
    assert paginator.count == 10  # shown as "more than 10"
    assert paginator.num_pages == 4


@pytest.mark.django_db
def test_pages_past_the_cap_reach_every_row_and_stop_at_the_end():
    everything = list(units(17))
    paginator = CappedPaginator(units(17), 3, cap=5)
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen += list(page)
        assert page.start_index() == (number - 1) * 3 + 1
        assert page.end_index() == len(seen)
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == everything  # the list's own order (no capped ordering given)
    assert number == 6  # 17 rows: 5 pages of 3 and one of 2, beyond the counted 2 pages
    with pytest.raises(EmptyPage):
        paginator.page(7)
    with pytest.raises(EmptyPage):
        paginator.page(0)


@pytest.mark.django_db
def test_capped_ordering_applies_past_the_cap_only():
    newest_first = list(units(8).order_by("-pk"))
    by_name = list(units(8))
    assert newest_first != by_name
    assert list(CappedPaginator(units(8), 8, cap=5, capped_ordering=("-pk",)).page(1)) == (
        newest_first
    )
    assert list(CappedPaginator(units(8), 8, cap=8, capped_ordering=("-pk",)).page(1)) == by_name


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [4, 40])
def test_a_page_costs_two_queries(rows):
    queryset = units(rows)
    with CaptureQueriesContext(connection) as captured:
        paginator = CappedPaginator(queryset, 3, cap=10)
        page = paginator.page(2)
        list(page), paginator.count, page.has_next()
    assert len(captured) == 2
    count_sql = captured[0]["sql"]
    assert "COUNT(" in count_sql.upper()
    assert "LIMIT 11" in count_sql and "ORDER BY" not in count_sql.upper()  # stops at cap + 1
