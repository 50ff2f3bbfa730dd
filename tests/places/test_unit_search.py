"""``unit_search``: accent-insensitive, ranked, narrowed by level, date and province."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.places.models import Era, Level
from khuyencong.places.queries import unit_search
from tests.places.factories import bac_kan_legacy, thai_nguyen_current

pytestmark = pytest.mark.django_db

IN_2018 = datetime.date(2018, 6, 30)
IN_2025 = datetime.date(2025, 8, 1)


def paths(queryset, limit=20):
    return [unit.full_path for unit in queryset[:limit]]


def test_na_ri_without_accents_finds_the_district_first():
    assert paths(unit_search("na ri", level=Level.DISTRICT)) == ["Huyện Na Rì, Tỉnh Bắc Kạn"]
    assert paths(unit_search("NA RÌ", level=Level.DISTRICT)) == ["Huyện Na Rì, Tỉnh Bắc Kạn"]


def test_na_ri_at_commune_level_puts_exact_name_then_the_communes_of_na_ri():
    found = paths(unit_search("na ri", level=Level.COMMUNE), limit=18)
    assert found[0] == "Xã Na Rì, Tỉnh Thái Nguyên"
    assert all(path.endswith("Huyện Na Rì, Tỉnh Bắc Kạn") for path in found[1:])
    assert "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn" in found


def test_date_picks_the_era():
    assert paths(unit_search("cuong loi", on=IN_2018)) == [
        "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn",
        "Xã Cường Lợi, Huyện Đình Lập, Tỉnh Lạng Sơn",
    ]
    assert paths(unit_search("cuong loi", on=IN_2025)) == ["Xã Cường Lợi, Tỉnh Thái Nguyên"]
    # No date: both eras, the current unit first.
    assert paths(unit_search("cuong loi"))[0] == "Xã Cường Lợi, Tỉnh Thái Nguyên"


def test_narrow_words_and_codes():
    assert paths(unit_search("cuong loi na ri")) == ["Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"]
    # Official codes: the new commune kept the code of the old one it is named after.
    assert paths(unit_search("02152")) == [
        "Xã Cường Lợi, Tỉnh Thái Nguyên",
        "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn",
    ]
    # Typing the unit type too still ranks the exact unit first.
    assert paths(unit_search("xa cuong loi", level=Level.COMMUNE))[0] == (
        "Xã Cường Lợi, Tỉnh Thái Nguyên"
    )


def test_exact_short_name_ranks_before_longer_names():
    found = list(unit_search("bac kan")[:3])
    assert [unit.match_rank for unit in found] == [0, 0, 0]
    assert {unit.full_path for unit in found} == {
        "Phường Bắc Kạn, Tỉnh Thái Nguyên",
        "Tỉnh Bắc Kạn",
        "Thành Phố Bắc Kạn, Tỉnh Bắc Kạn",
    }


def test_province_family_narrows_results():
    everywhere = unit_search("cuong loi", level=Level.COMMUNE)
    assert everywhere.count() == 3
    in_thai_nguyen = unit_search("cuong loi", province_id=thai_nguyen_current().pk)
    # The current Thái Nguyên and the legacy Bắc Kạn merged into it, not Lạng Sơn.
    assert {unit.era for unit in in_thai_nguyen} == {Era.CURRENT, Era.LEGACY}
    assert in_thai_nguyen.count() == 2
    assert unit_search("cuong loi", province_id=bac_kan_legacy().pk).count() == 1


def test_empty_query_finds_nothing():
    assert unit_search("").count() == 0
    assert unit_search("  ,. ").count() == 0


def test_parents_are_joined(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(paths(unit_search("xa", level=Level.COMMUNE))) == 20
