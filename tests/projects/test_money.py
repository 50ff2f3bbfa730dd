"""core.money: integer VND parsing, formatting and percentages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.money import (
    MoneyError,
    format_vnd,
    group_thousands,
    parse_vnd,
    percent_of,
    share_percent,
    sum_vnd,
    to_vnd,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600.000.000", 600_000_000),
        ("600,000,000", 600_000_000),
        ("600 000 000", 600_000_000),
        ("600000000", 600_000_000),
        ("600.000.000 đ", 600_000_000),
        ("600.000.000 VNĐ", 600_000_000),
        ("600.000.000 đồng", 600_000_000),
        ("600 triệu", 600_000_000),
        ("600 triệu đồng", 600_000_000),
        ("529 trieu dong", 529_000_000),
        ("600tr", 600_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("1.5 tỷ", 1_500_000_000),
        ("1.500 tỷ", 1_500_000_000_000),
        ("2,25 triệu", 2_250_000),
        ("35 nghìn", 35_000),
        ("0", 0),
        (42, 42),
    ],
)
def test_parse_vnd_reads_the_usual_ways_of_writing_money(text, expected):
    assert parse_vnd(text) == expected


@pytest.mark.parametrize(
    "text", ["", "abc", "-5", "1.234,5", "12.34", "1,2345 đồng", "0,0000001 triệu", "1.23.456", -1]
)
def test_parse_vnd_refuses_what_is_not_a_whole_amount(text):
    with pytest.raises(MoneyError):
        parse_vnd(text)


def test_format_vnd_groups_with_dots_and_appends_the_symbol():
    assert format_vnd(600_000_000) == "600.000.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-1_500) == "-1.500 đ"
    assert format_vnd(None) == ""
    assert group_thousands(1234567) == "1.234.567"


@given(st.integers(min_value=0, max_value=10**15))
def test_format_then_parse_round_trips(amount):
    assert parse_vnd(format_vnd(amount)) == amount


def test_percent_of_rounds_down_so_caps_never_round_up():
    assert percent_of(600_000_000, 70) == 420_000_000
    assert percent_of(99, 70) == 69  # 69.3 -> 69
    assert percent_of(250_000_000, Decimal("70")) == 175_000_000


@given(st.integers(min_value=0, max_value=10**13), st.integers(min_value=0, max_value=100))
def test_percent_of_never_exceeds_the_exact_share(amount, percent):
    result = percent_of(amount, percent)
    assert result * 100 <= amount * percent < (result + 1) * 100


def test_share_percent_and_sums():
    assert share_percent(300, 600) == Decimal(50)
    assert share_percent(1, 3, places=2) == Decimal("33.33")
    assert share_percent(5, 0) == 0
    assert sum_vnd([1, None, 2]) == 3


def test_floats_are_refused_everywhere():
    with pytest.raises(TypeError):
        to_vnd(1.5)
    with pytest.raises(TypeError):
        sum_vnd([1, 2.0])
    with pytest.raises(TypeError):
        percent_of(10.0, 50)
