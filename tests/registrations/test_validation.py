"""Bad input gives a clear error on its field and saves nothing: negative money, counterpart
larger than the total, dates outside the year, an unknown or wrong administrative unit."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.registrations import services
from khuyencong.registrations.models import Registration, RegistrationEvent

from . import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
M = 1_000_000


def refused_fields(**overrides) -> dict[str, list[str]]:
    before = (Registration.objects.count(), RegistrationEvent.objects.count())
    with pytest.raises(services.InputError) as error:
        f.registration(**overrides)
    assert (Registration.objects.count(), RegistrationEvent.objects.count()) == before
    assert str(error.value.message).strip()
    return error.value.by_field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"total_investment": -5}, "total_investment"),
        ({"requested_local": -1}, "requested_local"),
        ({"counterpart": 300 * M}, "counterpart"),  # total 200 M
        ({"requested_local": 250 * M, "counterpart": 0}, "total_investment"),
        ({"requested_local": 0}, "requested_local"),
        ({"registered_on": D(2017, 12, 31)}, "registered_on"),
        ({"registered_on": D(2020, 1, 2)}, "registered_on"),
        ({"planned_start": D(2018, 12, 1)}, "planned_start"),
        ({"planned_end": D(2020, 1, 1)}, "planned_end"),
        ({"local_raw_material_percent": 120}, "local_raw_material_percent"),
        ({"title": "   "}, "title"),
    ],
)
def test_bad_values_are_refused_on_their_field(overrides, field):
    assert field in refused_fields(**overrides)


def test_a_district_is_not_a_commune():
    problems = refused_fields(place=f.commune().parent)
    assert "place" in problems and "Huyện Na Rì" in problems["place"][0]


def test_a_unit_not_in_force_on_the_date_is_refused():
    current = AdminUnit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).first()
    problems = refused_fields(place=current)
    assert "place" in problems


def test_the_place_must_be_in_the_beneficiary_province():
    hanoi_commune = AdminUnit.objects.filter(
        era=Era.LEGACY, level=Level.COMMUNE, province=f.other_province()
    ).first()
    assert "place" in refused_fields(place=hanoi_commune)


def test_a_content_group_is_not_a_content():
    from khuyencong.catalog.models import ContentArea

    assert "content_area" in refused_fields(content_area=ContentArea.objects.get(code="art4_3"))


def test_an_archived_beneficiary_cannot_register():
    who = f.beneficiary()
    who.archive()
    assert "beneficiary" in refused_fields(beneficiary=who)


def test_an_edit_with_bad_input_changes_nothing():
    registration = f.registration()
    before = registration.version
    with pytest.raises(services.InputError):
        services.update_registration(
            registration=registration,
            actor=f.user(),
            expected_version=before,
            counterpart=900 * M,
        )
    registration.refresh_from_db()
    assert (registration.counterpart, registration.version) == (120 * M, before)


def test_unknown_fields_are_a_programming_error():
    with pytest.raises(TypeError):
        f.registration(colour="blue")
