"""``load_admin_units(["Bắc Kạn"])``: one legacy province, the current province it merged into,
and the successions among them — what browser tests load after a flush."""

from __future__ import annotations

import pytest
from django.db import connection

from khuyencong.places.loader import UnknownProvinceError, load_admin_units
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Era, Level

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_places():
    """Empty the unit tables inside the test's transaction (rolled back afterwards)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AdminUnitSuccession._meta.db_table}")
        cursor.execute(f"DELETE FROM {AdminUnit._meta.db_table}")


def counts() -> dict[tuple[str, str], int]:
    result: dict[tuple[str, str], int] = {}
    for era, level in AdminUnit.objects.values_list("era", "level"):
        result[(era, level)] = result.get((era, level), 0) + 1
    return result


@pytest.mark.usefixtures("empty_places")
def test_subset_loads_the_province_and_its_successor_only():
    stats = load_admin_units(["bac kan"])  # accents optional

    expected = {
        (Era.LEGACY, Level.PROVINCE): 1,
        (Era.LEGACY, Level.DISTRICT): 8,
        (Era.LEGACY, Level.COMMUNE): 108,
        (Era.CURRENT, Level.PROVINCE): 1,
        (Era.CURRENT, Level.COMMUNE): 92,
    }
    assert counts() == expected
    assert stats.units == expected
    assert stats.created == 210
    assert AdminUnit.objects.get(era=Era.CURRENT, level=Level.PROVINCE).name == ("Tỉnh Thái Nguyên")
    # 108 legacy communes -> their new communes, plus Bắc Kạn -> Thái Nguyên.
    assert AdminUnitSuccession.objects.count() == stats.successions == 109
    assert stats.unmatched_keys == []
    # Provinces point at themselves, communes at their province.
    for province in AdminUnit.objects.provinces():
        assert province.province_id == province.pk
    assert not AdminUnit.objects.communes().filter(province__isnull=True).exists()

    again = load_admin_units(["Bắc Kạn"])
    assert (again.created, again.updated, again.successions_created) == (0, 0, 0)


@pytest.mark.usefixtures("empty_places")
def test_full_load_after_a_subset_completes_it():
    load_admin_units(["Bắc Kạn"])
    stats = load_admin_units()
    assert stats.created == 14_149 - 210
    assert stats.updated == 0
    assert stats.successions_created == 10_665 - 109
    assert AdminUnit.objects.count() == 14_149


def test_unknown_province_name_is_refused():
    with pytest.raises(UnknownProvinceError) as error:
        load_admin_units(["Bắc Kạn", "Atlantis"])
    assert error.value.names == ["Atlantis"]


def test_full_name_matches_too():
    stats = load_admin_units(["Tỉnh Bắc Kạn", "Cao Bang"])
    assert stats.count(Era.LEGACY, Level.PROVINCE) == 2
    assert stats.count(Era.CURRENT, Level.PROVINCE) == 2  # Thái Nguyên, Cao Bằng
