"""A product-vote certificate held in the registry counts as the "certified product" industry
priority of a registration, while it is valid on the registration date (issue 8)."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.registrations import eligibility, selectors
from tests.contests.factories import closed_contest_with_certificates
from tests.registrations import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
PLANNED = {"planned_start": D(2020, 3, 1), "planned_end": D(2020, 11, 30)}


def _certified_part(facts: eligibility.RegistrationFacts) -> eligibility.PriorityPart:
    score = eligibility.priority_score(facts, selectors.rules_bundle())
    return next(part for part in score.parts if part.code == "certified_product")


def test_a_valid_certificate_in_the_registry_makes_the_priority():
    _contest, certificates = closed_contest_with_certificates()
    holder = certificates[0].beneficiary
    assert certificates[0].valid_until == D(2020, 12, 31)  # 31/12 of the third year
    during = f.registration(
        beneficiary=holder, registered_on=D(2019, 5, 15), target_year=2020, **PLANNED
    )
    facts = selectors.facts_for(during)
    assert facts.certificate_on_record and not facts.certified_product
    assert _certified_part(facts).met

    expired = selectors.facts_for(during, registered_on=D(2021, 1, 4))
    assert not expired.certificate_on_record and not _certified_part(expired).met
    before = selectors.facts_for(during, registered_on=D(2018, 5, 9))  # decided on 10/05/2018
    assert not before.certificate_on_record


def test_an_establishment_without_a_certificate_gets_no_priority_unless_it_declares_one():
    closed_contest_with_certificates()
    other = f.registration(registered_on=D(2019, 5, 15), target_year=2020, **PLANNED)
    facts = selectors.facts_for(other)
    assert not facts.certificate_on_record and not _certified_part(facts).met
    declared = selectors.facts_for(other, certified_product=True)  # a certificate from elsewhere
    assert _certified_part(declared).met
