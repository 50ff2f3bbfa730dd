"""Loading again changes nothing; a changed name or coordinate is put back; nothing deleted."""

from __future__ import annotations

import pytest

from khuyencong.places.loader import load_admin_units
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Era, Level
from tests.places.factories import cuong_loi_legacy

pytestmark = pytest.mark.django_db


def test_second_full_load_creates_and_changes_nothing():
    units, successions = AdminUnit.objects.count(), AdminUnitSuccession.objects.count()
    stats = load_admin_units()
    assert (stats.created, stats.updated) == (0, 0)
    assert (stats.successions_created, stats.successions_updated) == (0, 0)
    assert stats.unmatched_keys == []
    assert stats.count(Era.LEGACY, Level.COMMUNE) == 10_035
    assert stats.successions == 10_665
    assert AdminUnit.objects.count() == units
    assert AdminUnitSuccession.objects.count() == successions


def test_changed_names_coordinates_and_flags_are_restored():
    unit = cuong_loi_legacy()
    AdminUnit.objects.filter(pk=unit.pk).update(
        name="Xã Cuong Loi (typo)", latitude=1.0, search_text="x"
    )
    succession = unit.successions.get()
    AdminUnitSuccession.objects.filter(pk=succession.pk).update(is_default=False)

    stats = load_admin_units()

    assert (stats.created, stats.updated) == (0, 1)
    assert (stats.successions_created, stats.successions_updated) == (0, 1)
    unit.refresh_from_db()
    assert unit.name == "Xã Cường Lợi"
    assert unit.latitude == pytest.approx(22.275274)
    assert unit.search_text.startswith("xa cuong loi")
    succession.refresh_from_db()
    assert succession.is_default is True


def test_units_the_package_no_longer_has_are_kept():
    extra = AdminUnit.objects.create(
        era=Era.LEGACY,
        level=Level.COMMUNE,
        code="99999",
        unit_type="Xã",
        name="Xã Cũ",
        short_name="Cũ",
        key="xacu",
        search_text="xa cu",
    )
    stats = load_admin_units(["Bắc Kạn"])
    assert stats.created == 0
    assert AdminUnit.objects.filter(pk=extra.pk).exists()
