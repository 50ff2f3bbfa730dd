"""Search: the same matches as one plain ``LIKE`` filter a word, for any query (the words
another implies are not filtered again); no search machinery of SQLite's own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.search import search
from khuyencong.core.text import normalize
from tests.beneficiaries.factories import BeneficiaryFactory, kind

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index existed on SQLite only"
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
def test_the_queries_find_something_with_one_like_filter_a_word(register):
    """The comparison above is not vacuous: most queries match, each through ``LIKE``."""
    everything = Beneficiary.objects.all()
    assert sum(bool(ids(search(everything, query))) for query in QUERIES) >= 30
    assert len(ids(search(everything, "may tre dan"))) == 2
    with CaptureQueriesContext(connection) as captured:
        list(search(everything, "may tre an"))
    sql = captured[0]["sql"]
    assert "MATCH" not in sql and sql.count("LIKE") == 3


@pytest.mark.django_db
@sqlite_only
def test_sqlite_keeps_no_search_index_of_its_own():
    """PostgreSQL is the national-scale database; on SQLite the FTS5 table of migration 0005
    and its triggers are dropped (0009): no index a table rebuild could leave behind."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'beneficiaries_beneficiary_fts%'"
        )
        assert cursor.fetchall() == []
