"""contests/eligibility.py: every check, table-driven (pure: no database)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import translation

from khuyencong.contests.eligibility import (
    EntryFacts,
    LowerCertificate,
    Outcome,
    check_entry,
    overall,
)

D = datetime.date
COMPLETE = EntryFacts(
    contest_level="district",
    registered_on=D(2018, 3, 5),
    own_product=True,
    not_copied=True,
    mass_producible=True,
    has_registration_form=True,
    has_description=True,
    photo_count=3,
    photo_views=frozenset({"front", "side", "top"}),
)
VALID_DISTRICT = LowerCertificate("district", D(2019, 12, 31))


def outcomes(facts: EntryFacts) -> dict[str, Outcome]:
    return {check.code: check.outcome for check in check_entry(facts)}


def test_a_complete_district_entry_passes_every_check_and_needs_no_certificate():
    result = outcomes(COMPLETE)
    assert set(result.values()) == {Outcome.PASS}
    assert "lower_certificate" not in result
    assert overall(check_entry(COMPLETE)) == Outcome.PASS


@pytest.mark.parametrize(
    ("change", "code", "outcome"),
    [
        ({"own_product": False}, "own_product", Outcome.FAIL),
        ({"own_product": None}, "own_product", Outcome.NEEDS_REVIEW),
        ({"not_copied": False}, "not_copied", Outcome.FAIL),
        ({"mass_producible": False}, "mass_producible", Outcome.FAIL),
        ({"mass_producible": None}, "mass_producible", Outcome.NEEDS_REVIEW),
        ({"has_registration_form": False}, "registration_form", Outcome.FAIL),
        ({"has_description": False}, "description", Outcome.FAIL),
        ({"photo_count": 2}, "photos", Outcome.FAIL),
        ({"photo_count": 0, "photo_views": frozenset()}, "photos", Outcome.FAIL),
        ({"photo_views": frozenset({"front", "side"})}, "photos", Outcome.NEEDS_REVIEW),
        ({"photo_count": 5}, "photos", Outcome.PASS),
        # province level: a valid certificate of the level just below
        ({"contest_level": "province"}, "lower_certificate", Outcome.FAIL),
        (
            {"contest_level": "province", "lower_certificate": VALID_DISTRICT},
            "lower_certificate",
            Outcome.PASS,
        ),
        (  # after the 2025 reform the level below the province is the commune
            {
                "contest_level": "province",
                "registered_on": D(2026, 3, 1),
                "lower_certificate": LowerCertificate("commune", D(2027, 12, 31)),
            },
            "lower_certificate",
            Outcome.PASS,
        ),
        (
            {"contest_level": "region", "lower_certificate": VALID_DISTRICT},
            "lower_certificate",
            Outcome.FAIL,  # two levels below
        ),
        (
            {
                "contest_level": "province",
                "lower_certificate": LowerCertificate("district", D(2018, 3, 4)),
            },
            "lower_certificate",
            Outcome.FAIL,  # expired the day before registration
        ),
        (
            {
                "contest_level": "province",
                "lower_certificate": LowerCertificate("district", D(2018, 3, 5)),
            },
            "lower_certificate",
            Outcome.PASS,  # valid on the registration day itself
        ),
        (
            {
                "contest_level": "province",
                "lower_certificate": dataclasses.replace(VALID_DISTRICT, revoked=True),
            },
            "lower_certificate",
            Outcome.FAIL,
        ),
        (
            {
                "contest_level": "national",
                "lower_certificate": LowerCertificate(
                    "region", D(2020, 12, 31), recorded_in_system=False, number="12/GCN"
                ),
            },
            "lower_certificate",
            Outcome.NEEDS_REVIEW,  # issued outside the system: check the original
        ),
    ],
)
def test_each_check(change, code, outcome):
    facts = dataclasses.replace(COMPLETE, **change)
    assert outcomes(facts)[code] == outcome
    expected_overall = Outcome.PASS if outcome == Outcome.PASS else outcome
    assert overall(check_entry(facts)) == expected_overall


def test_fail_wins_over_needs_review():
    facts = dataclasses.replace(COMPLETE, own_product=None, photo_count=1)
    assert overall(check_entry(facts)) == Outcome.FAIL


def test_every_message_cites_the_circular_in_vietnamese():
    facts = dataclasses.replace(COMPLETE, contest_level="province", photo_count=2, own_product=None)
    with translation.override("vi"):
        messages = [check.message for check in check_entry(facts)]
    assert all("TT 26/2014/TT-BCT" in message for message in messages)
    assert any("ít nhất 3 ảnh màu" in message for message in messages)
    assert any("2 ảnh" in message for message in messages)
