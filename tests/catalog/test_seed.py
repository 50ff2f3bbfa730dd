"""The seeded catalogs: every fixed code present, flags per legal-notes, idempotent seeding."""

from __future__ import annotations

import datetime

import pytest

from khuyencong.catalog.models import (
    BeneficiaryKind,
    ContentArea,
    FundingSource,
    Industry,
    LegalBasis,
)
from khuyencong.catalog.seed import seed_catalogs
from khuyencong.trust.models import AuditEntry

ND235_IN_FORCE = datetime.date(2025, 10, 15)

FIXED_CODES = {
    FundingSource: {"national", "local", "other"},
    BeneficiaryKind: {
        "sme",
        "cooperative",
        "cooperative_group",
        "household",
        "cooperative_union",
        "other",
    },
    Industry: {"art5_a", "art5_b", "art5_c", "art5_d", "art5_dd", "art5_e", "art5_g"},
    LegalBasis: {
        "nd45_2012",
        "nd235_2025",
        "tt46_2012",
        "tt36_2013",
        "ttlt26_2014",
        "tt28_2018",
        "tt26_2014",
        "tt14_2018",
        "tt38_2025",
        "nd30_2020",
    },
    ContentArea: {f"art4_{n}" for n in range(1, 10)}
    | {
        "vocational_training",
        "capacity_building",
        "demo_model",
        "machinery",
        "sxsh_pilot",
        "product_vote",
        "trade_fair",
        "brand",
        "consulting",
        "design_packaging",
        "information",
        "linkage_ccn",
        "international",
        "staff_training",
        "plan_building",
        "programme_management",
        "inspection",
        "digital_transformation",
    },
}


def snapshot() -> dict[str, list[tuple]]:
    return {
        model.__name__: list(model.objects.order_by("code").values_list("code", "version"))
        for model in FIXED_CODES
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(FIXED_CODES), ids=lambda m: m.__name__)
def test_the_migration_seeded_every_fixed_code(model):
    codes = set(model.objects.values_list("code", flat=True))
    assert FIXED_CODES[model] <= codes


@pytest.mark.django_db
def test_seeding_again_changes_nothing():
    before = snapshot()
    entries = AuditEntry.objects.count()
    result = seed_catalogs()
    assert not result.changed
    assert snapshot() == before
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_seeding_keeps_admin_edits_and_never_deletes_or_unarchives():
    national = FundingSource.objects.get(code="national")
    national.name = "Đã sửa"
    national.save()
    extra = FundingSource.objects.create(code="donor", name="Nhà tài trợ", name_en="Donor")
    other = FundingSource.objects.get(code="other")
    other.archive()
    result = seed_catalogs()
    assert not result.changed
    assert FundingSource.objects.get(code="national").name == "Đã sửa"
    assert FundingSource.objects.filter(pk=extra.pk).exists()
    other.refresh_from_db()
    assert other.is_archived


@pytest.mark.django_db
def test_seeding_recreates_a_missing_row():
    kind = BeneficiaryKind.objects.get(code="cooperative_union")
    BeneficiaryKind.objects.filter(pk=kind.pk).update(code="renamed")
    result = seed_catalogs()
    assert result.created == ["beneficiarykind:cooperative_union"]
    assert BeneficiaryKind.objects.filter(code="cooperative_union").exists()


@pytest.mark.django_db
def test_refresh_resets_seeded_values_but_never_deletes_or_unarchives():
    national = FundingSource.objects.get(code="national")
    national.name = "Đã sửa"
    national.save()
    other = FundingSource.objects.get(code="other")
    other.archive()
    result = seed_catalogs(refresh=True)
    assert result.updated == ["fundingsource:national"]
    assert FundingSource.objects.get(code="national").name == "Khuyến công quốc gia"
    other.refresh_from_db()
    assert other.is_archived


@pytest.mark.django_db
def test_confirmed_flags_follow_the_legal_notes():
    confirmed = dict(LegalBasis.objects.values_list("code", "confirmed"))
    assert confirmed["nd45_2012"] and confirmed["tt36_2013"] and confirmed["tt26_2014"]
    # effective date (ND 235) or whole record (TT 14/2018, TT 38/2025) from secondary sources
    assert not confirmed["nd235_2025"]
    assert not confirmed["tt14_2018"]
    assert not confirmed["tt38_2025"]
    nd235 = LegalBasis.objects.get(code="nd235_2025")
    assert (nd235.issued_on, nd235.valid_from) == (datetime.date(2025, 8, 27), ND235_IN_FORCE)
    nd45 = LegalBasis.objects.get(code="nd45_2012")
    assert (nd45.issued_on, nd45.valid_from) == (
        datetime.date(2012, 5, 21),
        datetime.date(2012, 7, 5),
    )


@pytest.mark.django_db
def test_beneficiary_kinds():
    kinds = {k.code: k for k in BeneficiaryKind.objects.all()}
    assert kinds["household"].short_name == "HKD"
    assert not kinds["household"].tax_code_required
    assert kinds["sme"].tax_code_required and kinds["cooperative"].tax_code_required
    assert kinds["cooperative_union"].valid_from == ND235_IN_FORCE
    assert FundingSource.objects.get(code="local").short_name == "KCĐP"


@pytest.mark.django_db
def test_content_areas_hang_under_the_nine_article_4_groups():
    groups = ContentArea.objects.filter(parent__isnull=True)
    assert sorted(groups.values_list("code", flat=True)) == [f"art4_{n}" for n in range(1, 10)]
    for group in groups:
        number = group.code.removeprefix("art4_")
        assert group.article == f"Điều 4 khoản {number}"
        assert group.legal_basis.code == "nd45_2012"
    items = ContentArea.objects.filter(parent__isnull=False).select_related("parent")
    assert {i.parent.parent_id for i in items} == {None}  # two levels only
    assert ContentArea.objects.get(code="staff_training").parent.code == "art4_9"
    assert ContentArea.objects.get(code="product_vote").parent.code == "art4_4"


@pytest.mark.django_db
def test_decree_235_additions_are_dated_and_unconfirmed():
    for model, code in [(ContentArea, "digital_transformation"), (Industry, "nd235_green")]:
        row = model.objects.get(code=code)
        assert row.valid_from == ND235_IN_FORCE
        assert row.legal_basis.code == "nd235_2025"
        assert not row.confirmed
        assert row.notes
    assert Industry.objects.get(code="art5_dd").article == "Điều 5 điểm đ"


@pytest.mark.django_db
def test_selectable_rows_depend_on_the_date():
    before = set(
        ContentArea.objects.selectable(datetime.date(2018, 6, 30)).values_list("code", flat=True)
    )
    after = set(
        ContentArea.objects.selectable(datetime.date(2026, 1, 1)).values_list("code", flat=True)
    )
    assert "digital_transformation" not in before
    assert "digital_transformation" in after
    assert "machinery" in before & after


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [FundingSource, BeneficiaryKind, Industry, ContentArea], ids=lambda m: m.__name__
)
def test_every_row_has_an_english_name(model):
    assert not model.objects.filter(name_en="").exists()


@pytest.mark.django_db
def test_content_areas_list_each_group_followed_by_its_items():
    rows = list(ContentArea.objects.order_by("sort_order", "code").select_related("parent"))
    current_group = None
    for row in rows:
        if row.parent is None:
            current_group = row
        else:
            assert row.parent == current_group, row.code
    assert rows[0].code == "art4_1"
