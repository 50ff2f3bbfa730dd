"""The session load (tests/conftest.py) holds every unit of the package, with the right shape."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, F

from khuyencong.places.models import (
    CURRENT_START,
    LEGACY_END,
    AdminUnit,
    AdminUnitSuccession,
    Era,
    Level,
)

pytestmark = pytest.mark.django_db

# The vietnamadminunits 1.0.4 data: 10,040 legacy rows = 10,035 communes + 5 island districts
# without communes; 9,569 undivided + 1,033 divided commune links + 63 province links.
EXPECTED = {
    (Era.LEGACY, Level.PROVINCE): 63,
    (Era.LEGACY, Level.DISTRICT): 696,
    (Era.LEGACY, Level.COMMUNE): 10_035,
    (Era.CURRENT, Level.PROVINCE): 34,
    (Era.CURRENT, Level.COMMUNE): 3_321,
}


def test_unit_counts_per_era_and_level():
    counts = {
        (row["era"], row["level"]): row["n"]
        for row in AdminUnit.objects.values("era", "level").annotate(n=Count("id"))
    }
    assert counts == EXPECTED


def test_succession_counts():
    assert AdminUnitSuccession.objects.count() == 10_665
    provinces = AdminUnitSuccession.objects.filter(predecessor__level=Level.PROVINCE)
    assert provinces.count() == 63
    assert provinces.values("successor").distinct().count() == 34
    # Each legacy commune has exactly one main successor.
    communes = AdminUnitSuccession.objects.filter(predecessor__level=Level.COMMUNE)
    assert communes.filter(is_default=True).values("predecessor").distinct().count() == 10_035
    assert communes.filter(is_default=True).count() == 10_035
    assert communes.filter(is_default=False).count() == 1_033 - 471


def test_every_unit_of_each_era_is_linked():
    legacy_communes = AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
    assert not legacy_communes.filter(successions__isnull=True).exists()
    current = AdminUnit.objects.filter(era=Era.CURRENT)
    assert not current.filter(predecessions__isnull=True).exists()


def test_validity_dates_per_era():
    assert (
        not AdminUnit.objects.filter(era=Era.LEGACY)
        .exclude(valid_from=None, valid_to=LEGACY_END)
        .exists()
    )
    assert (
        not AdminUnit.objects.filter(era=Era.CURRENT)
        .exclude(valid_from=CURRENT_START, valid_to=None)
        .exists()
    )
    assert AdminUnit.objects.valid_on(datetime.date(2018, 6, 30)).count() == 63 + 696 + 10_035
    assert AdminUnit.objects.valid_on(LEGACY_END).provinces().count() == 63
    assert AdminUnit.objects.valid_on(CURRENT_START).count() == 34 + 3_321
    assert AdminUnit.objects.valid_on(CURRENT_START).districts().count() == 0


def test_code_lengths_and_unit_types():
    lengths = {
        level: set(AdminUnit.objects.filter(level=level).values_list("code", flat=True).distinct())
        for level in Level
    }
    assert {len(code) for code in lengths[Level.PROVINCE]} == {2}
    assert {len(code) for code in lengths[Level.DISTRICT]} == {3}
    assert {len(code) for code in lengths[Level.COMMUNE]} == {5}

    def types(**filters):
        return set(AdminUnit.objects.filter(**filters).values_list("unit_type", flat=True))

    assert types(level=Level.PROVINCE) == {"Tỉnh", "Thành phố"}
    assert types(level=Level.DISTRICT) == {"Huyện", "Quận", "Thị xã", "Thành phố"}
    assert types(level=Level.COMMUNE, era=Era.LEGACY) == {"Xã", "Phường", "Thị trấn"}
    assert types(level=Level.COMMUNE, era=Era.CURRENT) == {"Xã", "Phường", "Đặc khu"}
    hanoi = AdminUnit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="01")
    assert (hanoi.unit_type, hanoi.name, hanoi.short_name) == (
        "Thành phố",
        "Thành phố Hà Nội",
        "Hà Nội",
    )


def test_hierarchy_links():
    # Legacy communes sit in a district of their province; current communes in the province.
    legacy = AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
    assert not legacy.exclude(parent__level=Level.DISTRICT).exists()
    assert not legacy.exclude(parent__province=F("province")).exists()
    current = AdminUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE)
    assert not current.exclude(parent__level=Level.PROVINCE).exists()
    assert not current.exclude(parent=F("province")).exists()
    provinces = AdminUnit.objects.provinces()
    assert not provinces.exclude(province=F("pk")).exists()
    assert not provinces.filter(parent__isnull=False).exists()


def test_island_districts_without_communes_pass_to_their_special_zone():
    islands = AdminUnit.objects.filter(era=Era.LEGACY, level=Level.DISTRICT, children=None)
    assert sorted(islands.values_list("short_name", flat=True)) == sorted(
        ["Bạch Long Vĩ", "Cồn Cỏ", "Hoàng Sa", "Lý Sơn", "Côn Đảo"]
    )
    con_dao = islands.get(short_name="Côn Đảo")
    successor = con_dao.successions.get().successor
    assert (successor.name, successor.parent.name) == ("Đặc khu Côn Đảo", "Thành phố Hồ Chí Minh")


def test_search_text_and_coordinates():
    unit = AdminUnit.objects.get(era=Era.LEGACY, level=Level.COMMUNE, code="02152")
    assert unit.name == "Xã Cường Lợi"
    assert unit.search_text == "xa cuong loi cuong loi na ri bac kan 02152"
    assert unit.short_key == "cuongloi"
    assert unit.latitude == pytest.approx(22.275274)
    assert unit.longitude == pytest.approx(106.211031)
    assert not AdminUnit.objects.filter(search_text="").exists()
