"""The place as written on a record's date (issue 20), in the invented province of the shipped
unit-history example (tỉnh Đông Sơn, four communes merged into two on 1/2/2020): an old
address matched on its date, an old name kept with its one successor linked, the three
distinct refusals of the import's matcher, the report, the pages, the picker and the data
migration."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from khuyencong.accounts.models import ScopeLevel
from khuyencong.places.models import AdminUnit, Level
from khuyencong.places.queries import unit_search
from khuyencong.places.widgets import AdminUnitPicker
from khuyencong.projects.models import Project
from khuyencong.reports.builder import build_report
from khuyencong.spreadsheets.addresses import AddressMatcher
from khuyencong.spreadsheets.pipeline import PlaceMixin, Report
from tests.places.factories import UserFactory, bac_kan_legacy
from tests.places.test_unit_history import load_example
from tests.reports import provinces

pytestmark = pytest.mark.django_db

OLD = "Thôn Nà Pài, Xã Nông Hạ, Huyện Hòa Lạc, Tỉnh Đông Sơn"
DIVIDED = "Xã Bình Văn, Huyện Hòa Lạc, Tỉnh Đông Sơn"
NEW = "Xã Nông Thịnh Hạ, Huyện Hòa Lạc, Tỉnh Đông Sơn"
BEFORE, AFTER = datetime.date(2019, 5, 10), datetime.date(2021, 3, 1)


@pytest.fixture
def dong_son():
    load_example()
    return {unit.code: unit for unit in AdminUnit.objects.filter(code__startswith="99")}


def test_an_old_address_on_its_date_is_the_unit_of_that_time(dong_son):
    match = AddressMatcher().match(OLD, on=BEFORE)
    assert match.unit is not None and match.unit.id == dong_son["99101"].pk
    assert match.former is None
    assert match.street == "Thôn Nà Pài"


def test_an_old_name_after_the_merger_links_its_one_successor_and_keeps_the_name(dong_son):
    match = AddressMatcher().match(OLD, on=AFTER)
    assert match.unit is not None and match.unit.id == dong_son["99105"].pk
    assert match.former is not None and (match.former.unit_type, match.former.short_name) == (
        "Xã",
        "Nông Hạ",
    )


def test_a_divided_old_commune_asks_which_successor(dong_son):
    match = AddressMatcher().match(DIVIDED, on=AFTER)
    assert match.ambiguous and match.former is not None
    assert {c.id for c in match.candidates} == {dong_son["99105"].pk, dong_son["99106"].pk}


def test_a_unit_not_yet_in_force_is_not_found_at_that_date(dong_son):
    match = AddressMatcher().match(NEW, on=BEFORE)
    assert match.unit is None and match.not_at_date
    assert [c.id for c in match.elsewhere] == [dong_son["99105"].pk]


class Probe(PlaceMixin):
    header = {"address": "Địa điểm"}
    choices: dict[str, int] = {}

    def __init__(self, user):
        self.user = user


def _item(row: int, text: str, day: datetime.date) -> SimpleNamespace:
    return SimpleNamespace(row=row, address_text=text, commune_code="", registered_on=day)


def test_the_matcher_says_ambiguous_not_at_that_date_and_outside_scope_apart(dong_son):
    officer = UserFactory(scope_level=ScopeLevel.PROVINCE, province=bac_kan_legacy())
    national = UserFactory(scope_level=ScopeLevel.NATIONAL, province=None)
    items = [_item(7, DIVIDED, AFTER), _item(8, NEW, BEFORE)]
    report = Report()
    with translation.override("vi"):
        Probe(national).places(items, report)
        Probe(officer).places([_item(9, OLD, BEFORE)], report)
    (ambiguity,) = report.ambiguities
    assert ambiguity["row"] == 7
    assert ambiguity["message"].startswith(f"Dòng 7: “{DIVIDED}” là địa danh cũ")
    messages = {p["row"]: p["message"] for p in report.errors}
    assert messages[8].startswith(
        f"Dòng 8: “{NEW}” không ứng với đơn vị hành chính nào có hiệu lực vào ngày 10/05/2019"
    )
    assert messages[9] == (
        f"Dòng 9: Xã Nông Hạ, Huyện Hòa Lạc, Tỉnh Đông Sơn (“{OLD}”) nằm ngoài phạm vi phụ "
        "trách của bạn."
    )


def test_the_import_keeps_the_old_name_and_warns(dong_son):
    national = UserFactory(scope_level=ScopeLevel.NATIONAL, province=None)
    item = _item(5, OLD, AFTER)
    report = Report()
    with translation.override("vi"):
        Probe(national).places([item], report, attr="place")
    assert item.place.id == dong_son["99105"].pk
    assert item.written_place == ("Nông Hạ", "Xã")
    (warning,) = report.warnings
    assert (
        "là địa danh cũ" in warning["message"]
        and "nay thuộc Xã Nông Thịnh Hạ" in (warning["message"])
    )


def _province_with_projects(dong_son):
    province = provinces._province("Đông Sơn", ["HTX Chè Nông Hạ"])
    plan = provinces._plan(
        province, "local", 2021, ceiling=900_000_000, number="12/QĐ-UBND",
        day=datetime.date(2021, 1, 15), issuer="UBND tỉnh Đông Sơn",
    )  # fmt: skip
    kept = provinces._project(
        province, plan, "DS-21-01", "Hỗ trợ máy sao chè", "machinery", 300_000_000,
        place=dong_son["99105"], registered_on=AFTER, written_place=("Nông Hạ", "Xã"),
    )  # fmt: skip
    plain = provinces._project(
        province, plan, "DS-21-02", "Hỗ trợ máy sấy", "machinery", 200_000_000,
        place=dong_son["99106"], registered_on=AFTER,
    )  # fmt: skip
    return province, kept, plain


def test_a_record_keeps_the_written_name_with_its_successor_linked(dong_son):
    _province, kept, plain = _province_with_projects(dong_son)
    kept = Project.objects.get(pk=kept.pk)
    assert (kept.place_id, kept.place_name, kept.place_type) == (
        dong_son["99105"].pk,
        "Nông Hạ",
        "Xã",
    )
    assert kept.place_is_former and kept.place_written == "Xã Nông Hạ"
    with translation.override("vi"):
        assert kept.place_note == (
            "địa danh cũ, nay thuộc Xã Nông Thịnh Hạ, Huyện Hòa Lạc, Tỉnh Đông Sơn"
        )
    assert (plain.place_name, plain.place_type, plain.place_is_former) == ("Yên Bình", "Xã", False)
    # a new unit chosen later (a form) refills the written place
    kept.place = dong_son["99106"]
    kept.save()
    assert (kept.place_name, kept.place_is_former) == ("Yên Bình", False)


def test_the_report_prints_the_place_as_written(dong_son):
    province, kept, plain = _province_with_projects(dong_son)
    provinces.approve(kept, datetime.date(2021, 4, 1))
    provinces.approve(plain, datetime.date(2021, 4, 1))
    data = build_report(user=None, province=province.unit, year=2021, period="Y")
    places = {line.reference: line.place_label for s in data.sections for line in s.projects}
    assert "Nông Hạ" in places["DS-21-01"] and "Nông Thịnh Hạ" not in places["DS-21-01"]
    assert "Yên Bình" in places["DS-21-02"]


def test_the_project_page_says_former_name_now_part_of(dong_son, client):
    _province, kept, _plain = _province_with_projects(dong_son)
    user = UserFactory(scope_level=ScopeLevel.NATIONAL, province=None, is_superuser=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with translation.override("vi"):
        page = client.get(reverse("projects:detail", args=[kept.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Xã Nông Hạ" in text and "địa danh cũ, nay thuộc Xã Nông Thịnh Hạ" in text


def test_the_picker_offers_units_of_the_date_inside_the_district(dong_son):
    district = dong_son["991"].pk
    before = [u.code for u in unit_search("nong", on=BEFORE, district_id=district)]
    after = [u.code for u in unit_search("nong", on=AFTER, district_id=district)]
    assert sorted(before) == ["99101", "99102"]
    assert after == ["99105"]
    elsewhere = AdminUnit.objects.filter(level=Level.DISTRICT).exclude(pk=district).first()
    assert not unit_search("nong", on=BEFORE, district_id=elsewhere.pk).filter(
        code__startswith="99"
    )
    picker = AdminUnitPicker(level=None, valid_on=BEFORE, province_id=1, district_id=district)
    assert f"district={district}" in picker.search_url() and "on=2019-05-10" in picker.search_url()


def test_the_search_endpoint_takes_the_district(dong_son, staff_client):
    district = dong_son["991"].pk
    page = staff_client.get(
        reverse("places:search"), {"q": "nong", "on": "2021-03-01", "district": district}
    )
    assert "Nông Thịnh Hạ" in page.content.decode()
    assert "Nông Hạ<" not in page.content.decode()
    bad = staff_client.get(reverse("places:search"), {"q": "nong", "district": "x"})
    assert bad.status_code == 200


def test_the_data_migration_fills_existing_rows_from_their_unit(dong_son):
    _province, _kept, plain = _province_with_projects(dong_son)
    Project.objects.filter(pk=plain.pk).update(place_name="", place_type="")
    migration = importlib.import_module("khuyencong.projects.migrations.0014_place_as_written")
    migration.fill_place_as_written(apps, None)
    plain.refresh_from_db()
    assert (plain.place_name, plain.place_type) == ("Yên Bình", "Xã")
