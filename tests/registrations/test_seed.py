"""The shipped rule rows: what the legal notes confirm is confirmed, the rest is marked
unconfirmed; seeding again creates only what is missing and never undoes an admin's edit."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.registrations.models import (
    EligibilityRuleSet,
    ExcludedProduct,
    LocationRule,
    PriorityCriterion,
    SupportLevelRule,
    SupportUpliftRule,
)
from khuyencong.registrations.seed import seed_rules
from khuyencong.trust.models import AuditEntry
from khuyencong.trust.recording import json_value

pytestmark = pytest.mark.django_db
D = datetime.date
M = 1_000_000


def level(basis: str, source: str, area: str) -> SupportLevelRule:
    return SupportLevelRule.objects.get(
        legal_basis__code=basis, funding_source__code=source, content_area__code=area
    )


def test_the_migration_seeded_the_rules_and_seeding_again_adds_nothing():
    assert EligibilityRuleSet.objects.count() == 4
    assert seed_rules() == []


def test_decree_45_rules_until_decree_235_takes_effect():
    old = EligibilityRuleSet.objects.get(code="nd45_national")
    new = EligibilityRuleSet.objects.get(code="nd235_national")
    assert (old.valid_to, new.valid_from) == (D(2025, 10, 14), D(2025, 10, 15))
    assert old.confirmed and not new.confirmed
    assert set(old.beneficiary_kinds.values_list("code", flat=True)) == {
        "sme",
        "cooperative",
        "cooperative_group",
        "household",
    }
    assert "cooperative_union" in new.beneficiary_kinds.values_list("code", flat=True)
    assert "digital_transformation" in new.content_areas.values_list("code", flat=True)
    assert "digital_transformation" not in old.content_areas.values_list("code", flat=True)


@pytest.mark.parametrize(
    ("basis", "area", "percent", "cap", "confirmed"),
    [
        ("ttlt26_2014", "machinery", 50, 200 * M, True),
        ("ttlt26_2014", "demo_model", 30, 500 * M, True),
        ("ttlt26_2014", "startup_support", None, 10 * M, True),
        ("ttlt26_2014", "brand", 50, 35 * M, True),
        ("tt28_2018", "machinery", 50, 300 * M, False),  # secondary source
        ("tt28_2018", "demo_model", 30, 1000 * M, True),  # read (summary)
        ("tt28_2018", "startup_support", None, 10 * M, True),
        ("tt28_2018", "brand", 50, 35 * M, False),  # carried over, unconfirmed
        ("tt28_2018", "consulting", 50, 35 * M, False),
    ],
)
def test_national_support_levels_follow_the_legal_notes(basis, area, percent, cap, confirmed):
    row = level(basis, "national", area)
    assert (row.percent, row.cap, row.confirmed) == (percent, cap, confirmed)


def test_local_levels_are_all_unconfirmed_defaults():
    local = SupportLevelRule.objects.filter(funding_source__code="local", province__isnull=True)
    assert local.exists() and not local.filter(confirmed=True).exists()


def test_the_change_of_circular_is_dated_and_its_date_flagged():
    old = level("ttlt26_2014", "national", "machinery")
    new = level("tt28_2018", "national", "machinery")
    assert old.valid_to + datetime.timedelta(days=1) == new.valid_from == D(2018, 5, 12)
    assert "ước tính" in new.notes


def test_uplifts_priority_confirmed_only_under_ttlt_26():
    rows = SupportUpliftRule.objects.filter(funding_source__code="national")
    confirmed = {(r.legal_basis.code, r.condition): r.confirmed for r in rows}
    assert confirmed == {
        ("ttlt26_2014", "priority"): True,
        ("tt28_2018", "priority"): False,
        ("tt28_2018", "production_line"): False,
    }
    assert {r.multiplier for r in rows} == {__import__("decimal").Decimal("1.50")}


def test_fired_clay_brick_is_excluded_by_tt46_art5():
    row = ExcludedProduct.objects.get(code="fired_clay_brick_kilns")
    assert row.outcome == "fail" and row.confirmed and row.legal_basis.code == "tt46_2012"
    assert "lò vòng" in row.terms


def test_priority_points_are_the_systems_convention():
    assert not PriorityCriterion.objects.filter(confirmed=True).exists()
    points = dict(PriorityCriterion.objects.values_list("code", "points"))
    assert points["area_difficult"] > sum(
        value for code, value in points.items() if not code.startswith("area_")
    )


def test_an_admin_edit_survives_reseeding_and_an_archived_row_stays_archived():
    row = level("tt28_2018", "national", "machinery")
    row.cap = 350 * M
    row.confirmed = True
    row.save()
    location = LocationRule.objects.filter(rule_set__code="nd45_national").first()
    location.archive()
    assert seed_rules() == []
    row.refresh_from_db()
    assert (row.cap, row.confirmed) == (350 * M, True)
    assert LocationRule.objects.filter(pk=location.pk, archived_at__isnull=False).exists()
    edit = AuditEntry.objects.for_object(row).order_by("at", "id").last()  # the edit is recorded
    assert next(c["new"] for c in edit.changes if c["field"] == "cap") == json_value(350 * M)


def test_a_missing_row_is_recreated():
    row = level("tt28_2018", "national", "brand")
    from django.db import models

    models.QuerySet.delete(SupportLevelRule.objects.filter(pk=row.pk))  # as if never seeded
    assert seed_rules() == ["tt28_2018:national:brand"]
