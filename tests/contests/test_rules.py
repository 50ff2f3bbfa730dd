"""Dated rules: jury sizes per level and date, threshold, certificate validity, complaint
deadlines, score sheet (the seed rows of the data migration)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from khuyencong.contests import rules
from khuyencong.contests.models import (
    CertificateValidityRule,
    JurySizeRule,
    ScoreSheet,
    ThresholdRule,
)
from khuyencong.core.workdays import WorkCalendar

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "size", "allowed"),
    [
        ("district", 5, True),
        ("district", 7, True),
        ("district", 9, False),
        ("province", 7, True),
        ("province", 9, True),
        ("province", 8, False),
        ("province", 5, False),
        ("region", 11, True),
        ("national", 13, True),
        ("national", 9, False),
    ],
)
def test_jury_sizes_per_level_in_2018(level, size, allowed):
    assert bool(rules.check_jury_size(level, D(2018, 4, 3), size)) is allowed


def test_levels_follow_the_2025_reform():
    assert rules.levels_on(D(2018, 1, 1)) == ["district", "province", "region", "national"]
    assert rules.levels_on(D(2025, 7, 1)) == ["commune", "province", "region", "national"]
    assert not rules.check_jury_size("district", D(2025, 7, 1), 5)  # no district level then


def test_the_refusal_says_what_the_rule_allows():
    check = rules.check_jury_size("province", D(2018, 4, 3), 8)
    assert "7" in check.message and "9" in check.message and "8" in check.message


def test_a_new_rule_row_changes_the_sizes_from_its_date_only():
    JurySizeRule.objects.create(level="province", allowed_sizes="9, 11", valid_from=D(2030, 1, 1))
    assert rules.check_jury_size("province", D(2029, 12, 31), 7)
    assert not rules.check_jury_size("province", D(2030, 1, 1), 7)
    assert rules.check_jury_size("province", D(2030, 1, 1), 11)


def test_jury_sizes_must_be_odd():
    from django.core.exceptions import ValidationError

    rule = JurySizeRule(level="province", allowed_sizes="7, 8", valid_from=D(2030, 1, 1))
    with pytest.raises(ValidationError):
        rule.full_clean()


@pytest.mark.parametrize(("size", "ok"), [(1, True), (3, True), (4, False), (0, False)])
def test_panel_is_odd(size, ok):
    assert bool(rules.check_panel_size(size)) is ok


def test_threshold_is_70_from_21_october_2014_and_missing_before():
    assert rules.threshold_on(D(2014, 10, 21)) == Decimal(70)
    with pytest.raises(rules.RuleMissing):
        rules.threshold_on(D(2014, 10, 20))
    ThresholdRule.objects.create(min_average=Decimal("72.5"), valid_from=D(2031, 1, 1))
    assert rules.threshold_on(D(2031, 6, 1)) == Decimal("72.5")
    assert rules.threshold_on(D(2030, 6, 1)) == Decimal(70)


@pytest.mark.parametrize(
    ("issued", "years", "until"),
    [
        (D(2018, 5, 10), 3, D(2020, 12, 31)),
        (D(2018, 1, 1), 3, D(2020, 12, 31)),
        (D(2018, 12, 31), 3, D(2020, 12, 31)),
        (D(2018, 5, 10), 1, D(2018, 12, 31)),
    ],
)
def test_certificate_expiry(issued, years, until):
    assert rules.certificate_expiry(issued, years) == until


def test_certificate_validity_comes_from_the_rule_row():
    assert rules.certificate_valid_until(D(2018, 5, 10)) == D(2020, 12, 31)
    CertificateValidityRule.objects.create(years=5, valid_from=D(2030, 1, 1))
    assert rules.certificate_valid_until(D(2030, 2, 1)) == D(2034, 12, 31)


def test_complaint_deadlines_count_working_days_with_the_holidays():
    calendar = WorkCalendar.from_database()
    assert rules.complaint_deadline(D(2018, 4, 6), calendar) == D(2018, 5, 2)
    assert rules.resolution_deadline(D(2018, 4, 20), calendar) == D(2018, 5, 9)


def test_the_seeded_sheet_is_marked_unconfirmed_and_totals_100():
    sheet = rules.default_score_sheet(D(2018, 4, 3))
    assert not sheet.confirmed
    assert "CHƯA XÁC NHẬN" in sheet.notes
    assert sheet.max_total() == 100
    assert [group.code for group in sheet.groups.all()] == ["a", "b", "c", "d"]
    spec = rules.sheet_spec(sheet)
    assert spec.max_total == 100
    assert ScoreSheet.objects.count() == 1


def test_seeded_rules_say_what_is_confirmed():
    assert ThresholdRule.objects.get().confirmed
    assert JurySizeRule.objects.get(level="province").confirmed
    commune = JurySizeRule.objects.get(level="commune")
    assert not commune.confirmed and commune.valid_from == D(2025, 7, 1)
    assert JurySizeRule.objects.get(level="district").valid_to == D(2025, 6, 30)


def test_seeding_again_creates_nothing():
    from khuyencong.contests.seed import seed_contest_rules

    assert set(seed_contest_rules().values()) == {0}
