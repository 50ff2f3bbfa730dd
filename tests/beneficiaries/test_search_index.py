"""The search index (SQLite FTS5 trigram table of migration 0005): the same matches as the
plain ``LIKE`` search, for any query, and kept in step with every write path."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.search import search
from khuyencong.core.text import normalize
from khuyencong.spreadsheets.pipeline import BeneficiaryItem, bulk_insert_beneficiaries
from tests.beneficiaries.factories import BeneficiaryFactory, kind

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only"
)

NAMES = [
    "HTX Mây tre đan Phú Vinh",
    "Cơ sở mây tre đan Lại Văn Tú",
    "Công ty TNHH Gốm sứ Bát Tràng",
    "HKD dệt thổ cẩm Mường Lò",
    'Cơ sở "Nước mắm" Cát Hải',
    "Công ty TNHH Phát Đạt (cơ khí nhỏ)",
    "HTX AND OR NOT NEAR chế biến chè",
    "Cơ sở Tre* Việt: ^mây",
    "Xưởng dệt 100% lụa",
    "HTX Thành Long_Á",
]

QUERIES = [
    "may tre dan", "Mây tre đan", "MÂY", "tre", "an", "a", "ma", "dan phu", "gom su",
    "bat trang", "det", "tho cam muong", "nuoc mam", '"nuoc mam"', '"', '""', "'", "mam\"",
    "phat dat", "co khi nho", "(co khi", "nho)", "AND", "or not", "near", "che bien che",
    "tre*", "tre* viet", "^may", "viet:", ":", "*", "-", "100%", "%", "_", "long_a", "1",
    "0314409058", "0314409058-002", "0314409058002", "khong co gi", "zzz", "lai van tu",
    "mây   tre", "x" * 40, "a b c d e f g h i j k l", "ma may", "tre tre tre", "an dan an",
    "dan an", "a ab abc", "bat trang at",
]  # fmt: skip


def like_search(queryset, query):
    """The reference: every word a ``LIKE '%word%'`` filter (core.search without an index)."""
    for word in normalize(query).split()[:10]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def register(places):
    for name in NAMES:
        BeneficiaryFactory(name=name, commune=places.commune_a1)
    BeneficiaryFactory(name="Chi nhánh", tax_code="0314409058-002", commune=places.commune_a2)
    household = BeneficiaryFactory(
        name="Hộ mây tre", kind=kind("household"), tax_code="", commune=places.commune_b
    )
    household.archive()


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_same_matches_as_like_search(register, query):
    everything = Beneficiary.objects.all()
    found = ids(search(everything, query))
    assert found == ids(like_search(everything, query))
    assert ids(search(everything.active(), query)) == found & ids(everything.active())


def test_only_the_words_another_does_not_imply_are_filtered():
    from khuyencong.core.search import essential_words

    assert essential_words(["che", "bien", "che"]) == ["che", "bien"]
    assert essential_words(["ma", "may", "an", "dan"]) == ["may", "dan"]
    assert essential_words(["tre", "tre"]) == ["tre"]
    assert essential_words(["gom", "su"]) == ["gom", "su"]
    assert essential_words([]) == []


@pytest.mark.django_db
def test_the_queries_find_something_and_the_index_is_used(register):
    """The comparison above is not vacuous: most queries match, and SQLite reads the index."""
    everything = Beneficiary.objects.all()
    assert sum(bool(ids(search(everything, query))) for query in QUERIES) >= 30
    assert len(ids(search(everything, "may tre dan"))) == 2
    with CaptureQueriesContext(connection) as captured:
        list(search(everything, "may tre an"))
    sql = captured[0]["sql"]
    if connection.vendor == "sqlite":
        assert "MATCH" in sql and "LIKE" in sql  # "may", "tre" indexed; "an" is too short
    else:
        assert "MATCH" not in sql


@pytest.mark.django_db
@sqlite_only
def test_index_follows_inserts_updates_and_deletes(places):
    everything = Beneficiary.objects.all()
    beneficiary = BeneficiaryFactory(name="HTX Gốm Chu Đậu", commune=places.commune_a1)
    assert ids(search(everything, "chu dau")) == {beneficiary.pk}
    beneficiary.name = "HTX Sơn mài Hạ Thái"
    beneficiary.save()
    assert ids(search(everything, "chu dau")) == set()
    assert ids(search(everything, "son mai ha thai")) == {beneficiary.pk}
    beneficiary.archive()  # an update that leaves the text alone
    assert ids(search(everything, "son mai")) == {beneficiary.pk}
    with connection.cursor() as cursor:  # nothing deletes beneficiaries; the trigger still must
        cursor.execute("DELETE FROM beneficiaries_beneficiary WHERE id = %s", [beneficiary.pk])
    assert ids(search(everything, "son mai")) == set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM beneficiaries_beneficiary_fts "
            "WHERE beneficiaries_beneficiary_fts MATCH '\"son mai\"'"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
@sqlite_only
def test_index_follows_the_spreadsheet_import_bulk_insert(places, staff_a):
    commune = places.commune_a1
    items = [
        BeneficiaryItem(
            row=row, name=name, name_key=normalize(name), kind=kind("household"), tax_code="",
            representative="", address_text="", commune_code=commune.code, industry=None,
            phone="", email="", notes="",
            commune=SimpleNamespace(
                id=commune.pk, parent_id=commune.parent_id, province_id=commune.province_id
            ),
        )
        for row, name in enumerate(["Hộ rèn Đa Sỹ", "Hộ đúc đồng Ngũ Xã"], start=2)
    ]  # fmt: skip
    assert bulk_insert_beneficiaries(items, staff_a) == 2
    everything = Beneficiary.objects.all()
    assert [b.name for b in search(everything, "ren da sy")] == ["Hộ rèn Đa Sỹ"]
    assert [b.name for b in search(everything, "duc dong ngu xa")] == ["Hộ đúc đồng Ngũ Xã"]


@pytest.mark.django_db
@sqlite_only
def test_triggers_lost_in_a_table_rebuild_come_back_after_migrate(places):
    """Django's SQLite schema editor rebuilds a table to alter it, dropping its triggers;
    the post_migrate hook puts them back and re-indexes."""
    from khuyencong.core.search import restore_sqlite_trigram_triggers

    assert restore_sqlite_trigram_triggers() == []  # nothing lost after the test migrations
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER beneficiaries_beneficiary_fts_insert")
    unindexed = BeneficiaryFactory(name="HTX Nón lá Chuông", commune=places.commune_a1)
    assert ids(search(Beneficiary.objects.all(), "non la chuong")) == set()
    assert restore_sqlite_trigram_triggers() == ["beneficiaries_beneficiary_fts"]
    assert ids(search(Beneficiary.objects.all(), "non la chuong")) == {unindexed.pk}
    later = BeneficiaryFactory(name="HTX Nón lá Phú Cam", commune=places.commune_a1)
    assert ids(search(Beneficiary.objects.all(), "non la")) == {unindexed.pk, later.pk}


def index_entries(rowids) -> dict[int, list[tuple]]:
    """What the FTS table holds for these rows: (term, column, offset) of each trigram."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances "
            "USING fts5vocab(main, beneficiaries_beneficiary_fts, instance)"
        )
        entries: dict[int, list[tuple]] = {rowid: [] for rowid in rowids}
        for rowid in rowids:
            cursor.execute(
                "SELECT term, col, offset FROM temp.fts_instances WHERE doc = %s "
                "ORDER BY term, offset",
                [rowid],
            )
            entries[rowid] = cursor.fetchall()
    return entries


def triggers() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return dict(cursor.fetchall())


def import_items(places, rows):
    commune = places.commune_a2
    return [
        BeneficiaryItem(
            row=row, name=name, name_key=normalize(name), kind=kind("household"),
            tax_code=tax_code, representative="", address_text="", commune_code=commune.code,
            industry=None, phone="", email="", notes="",
            commune=SimpleNamespace(
                id=commune.pk, parent_id=commune.parent_id, province_id=commune.province_id
            ),
        )
        for row, (name, tax_code) in enumerate(rows, start=2)
    ]  # fmt: skip


IMPORTED = [
    ("Hộ rèn Đa Sỹ", ""),
    ('HTX "Gốm" Phù Lãng (gốm men)', "0314409058-003"),
    ("Cơ sở mây tre đan Phú Vinh", "4700123452"),
]


@pytest.mark.django_db
@sqlite_only
def test_the_import_indexes_its_rows_as_the_trigger_would(places, staff_a):
    """The bulk insert fills the index once after the insert, with the trigger dropped for
    its duration: the index ends up holding exactly what the trigger writes for the same
    rows, rows already there are left alone, and the trigger is back and working."""
    existing = BeneficiaryFactory(name="HTX Nón lá Chuông", commune=places.commune_a1)
    existing_entries = index_entries([existing.pk])
    before = triggers()
    assert "beneficiaries_beneficiary_fts_insert" in before
    assert bulk_insert_beneficiaries(import_items(places, IMPORTED), staff_a) == len(IMPORTED)
    assert triggers() == before  # the same triggers, same SQL
    imported = list(Beneficiary.objects.filter(commune=places.commune_a2).order_by("pk"))
    assert [b.name for b in imported] == [name for name, _code in IMPORTED]
    # the same rows through the trigger (archived: the tax codes are the imported rows')
    twins = [
        BeneficiaryFactory(
            name=b.name, tax_code=b.tax_code, commune=places.commune_a1, archived_at=timezone.now()
        )
        for b in imported
    ]
    by_import = index_entries([b.pk for b in imported])
    by_trigger = index_entries([t.pk for t in twins])
    for beneficiary, twin in zip(imported, twins, strict=True):
        assert twin.search_text == beneficiary.search_text
        assert by_import[beneficiary.pk] == by_trigger[twin.pk] != []
    assert index_entries([existing.pk]) == existing_entries
    everything = Beneficiary.objects.all()
    assert ids(search(everything, "phu lang")) == {imported[1].pk, twins[1].pk}
    assert ids(search(everything, "0314409058003")) == {imported[1].pk, twins[1].pk}
    # later writes still reach the index through the triggers
    imported[0].name = "Hộ đúc đồng Ngũ Xã"
    imported[0].save()
    assert ids(search(everything, "ren da sy")) == {twins[0].pk}
    assert ids(search(everything, "duc dong ngu")) == {imported[0].pk}
    later = BeneficiaryFactory(name="HTX Sơn mài Hạ Thái", commune=places.commune_a1)
    assert ids(search(everything, "son mai ha")) == {later.pk}


@pytest.mark.django_db
@sqlite_only
def test_a_failed_import_leaves_the_trigger_and_the_index_as_they_were(
    places, staff_a, monkeypatch
):
    from khuyencong.spreadsheets import pipeline

    def fail(*args, **kwargs):
        raise RuntimeError("audit entries could not be written")

    before = triggers()
    monkeypatch.setattr(pipeline, "_audit_imported", fail)
    with pytest.raises(RuntimeError):
        bulk_insert_beneficiaries(import_items(places, IMPORTED), staff_a)
    assert triggers() == before
    assert not Beneficiary.objects.filter(commune=places.commune_a2).exists()
    assert ids(search(Beneficiary.objects.all(), "ren da sy")) == set()
    after = BeneficiaryFactory(name="Hộ rèn Đa Sỹ", commune=places.commune_a1)
    assert ids(search(Beneficiary.objects.all(), "ren da sy")) == {after.pk}
