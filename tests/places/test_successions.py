"""The 2025 mapping as loaded: provinces, undivided and divided communes, island districts."""

from __future__ import annotations

import pytest

from khuyencong.places.models import AdminUnit, Era, Level
from tests.places.factories import bac_kan_legacy, cuong_loi_legacy, thai_nguyen_current, unit

pytestmark = pytest.mark.django_db


def test_bac_kan_province_became_thai_nguyen():
    succession = bac_kan_legacy().successions.select_related("successor").get()
    assert succession.successor == thai_nguyen_current()
    assert succession.is_default
    merged = thai_nguyen_current().predecessions.values_list("predecessor__name", flat=True)
    assert sorted(merged) == ["Tỉnh Bắc Kạn", "Tỉnh Thái Nguyên"]


def test_cuong_loi_na_ri_became_cuong_loi_thai_nguyen_with_van_vu():
    old = cuong_loi_legacy()
    assert old.full_path == "Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn"
    succession = old.successions.select_related("successor__parent").get()
    new = succession.successor
    assert (new.era, new.level, new.full_path) == (
        Era.CURRENT,
        Level.COMMUNE,
        "Xã Cường Lợi, Tỉnh Thái Nguyên",
    )
    assert succession.is_default
    assert sorted(new.predecessions.values_list("predecessor__name", flat=True)) == [
        "Xã Cường Lợi",
        "Xã Văn Vũ",
    ]


def test_divided_commune_has_one_main_successor():
    old = unit(Era.LEGACY, Level.COMMUNE, "Xã Tân Thạnh", "Thới Lai")
    successors = {
        s.successor.name: s.is_default for s in old.successions.select_related("successor")
    }
    assert successors == {"Xã Trường Thành": True, "Xã Tân Thạnh": False}


def test_province_family_of_a_merged_province():
    thai_nguyen = thai_nguyen_current()
    legacy_thai_nguyen = unit(Era.LEGACY, Level.PROVINCE, "Tỉnh Thái Nguyên")
    assert AdminUnit.province_family_ids(thai_nguyen.pk) == {
        thai_nguyen.pk,
        bac_kan_legacy().pk,
        legacy_thai_nguyen.pk,
    }
    # A legacy province has no predecessors: its family is itself.
    assert AdminUnit.province_family_ids(bac_kan_legacy().pk) == {bac_kan_legacy().pk}
    # Hồ Chí Minh City took in Bình Dương and Bà Rịa - Vũng Tàu.
    hcm = unit(Era.CURRENT, Level.PROVINCE, "Thành phố Hồ Chí Minh")
    names = AdminUnit.objects.filter(pk__in=AdminUnit.province_family_ids(hcm.pk)).values_list(
        "era", "short_name"
    )
    assert sorted(names) == [
        ("current", "Hồ Chí Minh"),
        ("legacy", "Bà Rịa - Vũng Tàu"),
        ("legacy", "Bình Dương"),
        ("legacy", "Hồ Chí Minh"),
    ]


def test_scope_province_id():
    commune = cuong_loi_legacy()
    assert commune.scope_province_id == bac_kan_legacy().pk
    assert bac_kan_legacy().scope_province_id == bac_kan_legacy().pk
