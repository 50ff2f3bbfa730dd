"""Stage 4, match: free-text addresses, legacy or current, to a commune; ambiguity flagged."""

from __future__ import annotations

import pytest

from khuyencong.places.models import AdminUnit, Era
from khuyencong.spreadsheets.addresses import AddressMatcher


@pytest.fixture(scope="module")
def matcher(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return AddressMatcher()


def test_legacy_three_level_address_with_a_street(matcher):
    match = matcher.match("thôn Nà Làng, xã Nông Thượng, TP Bắc Kạn, Bắc Kạn")
    assert match.unit.era == Era.LEGACY
    assert match.unit.label == "Xã Nông Thượng, Thành Phố Bắc Kạn, Tỉnh Bắc Kạn"
    assert match.street == "thôn Nà Làng"


def test_without_accents_and_without_district(matcher):
    assert matcher.match("xa cuong loi, na ri, bac kan").unit.label.startswith("Xã Cường Lợi")
    assert matcher.match("Xã Cường Lợi, Tỉnh Bắc Kạn").unit.era == Era.LEGACY


def test_current_two_level_address(matcher):
    match = matcher.match("số 5, thôn A, Xã Cường Lợi, Tỉnh Thái Nguyên")
    assert match.unit.era == Era.CURRENT
    assert match.unit.label == "Xã Cường Lợi, Tỉnh Thái Nguyên"
    assert match.street == "số 5, thôn A"


def test_an_old_province_name_is_not_read_as_a_new_commune(matcher):
    """FROM_2025 reads "Bắc Kạn" as Phường Bắc Kạn (Thái Nguyên): not written, not taken."""
    match = matcher.match("xã Nông Thượng, TP Bắc Kạn, Bắc Kạn")
    assert match.unit.era == Era.LEGACY


def test_a_name_shared_in_the_province_is_ambiguous(matcher, db):
    shared = next(
        (key, units)
        for key, units in matcher.index.by_name.items()
        if key[0] == Era.LEGACY and len(units) > 1
    )
    unit = AdminUnit.objects.get(pk=shared[1][0].id)
    province = AdminUnit.objects.get(pk=unit.province_id)
    match = matcher.match(f"{unit.name}, {province.name}")
    assert match.unit is None
    assert match.ambiguous
    assert {c.id for c in match.candidates} >= {c.id for c in shared[1]}


def test_official_code_wins_and_a_code_in_both_eras_needs_the_text(matcher):
    assert matcher.match("anything", "06634").unit.era == Era.LEGACY  # one era only
    same_name = matcher.match("", "02152")  # Xã Cường Lợi in both eras
    assert same_name.unit is None and len(same_name.candidates) == 2
    legacy = matcher.match("Xã Cường Lợi, Huyện Na Rì, Tỉnh Bắc Kạn", "02152")
    assert legacy.unit.era == Era.LEGACY
    both = matcher.match("", "01843")
    assert both.unit is None and len(both.candidates) == 2
    named = matcher.match("Phường Bắc Kạn, Thái Nguyên", "01843")
    assert named.unit.era == Era.CURRENT


def test_nothing_recognisable(matcher):
    match = matcher.match("không có địa chỉ")
    assert match.unit is None and not match.ambiguous
