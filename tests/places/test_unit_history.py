"""Dated historical units from a CSV: the shipped (invented) example, bad rows, re-loading."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from khuyencong.places.history import UnitHistoryError, load_unit_history
from khuyencong.places.models import AdminUnit, AdminUnitSuccession, Era, Level

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parents[2] / "src/khuyencong/places/data/unit_history_example.csv"


def load_example() -> None:
    load_unit_history(EXAMPLE.read_text(encoding="utf-8"))


def test_example_loads_the_invented_2020_merger_with_dates_and_successors():
    load_example()
    old = AdminUnit.objects.with_path().get(code="99101")
    assert (old.era, old.level, old.full_path) == (
        Era.LEGACY,
        Level.COMMUNE,
        "Xã Nông Hạ, Huyện Hòa Lạc, Tỉnh Đông Sơn",
    )
    assert (old.valid_from, old.valid_to) == (None, datetime.date(2020, 1, 31))
    assert old.province == AdminUnit.objects.get(code="99", level=Level.PROVINCE)
    assert old.is_valid_on(datetime.date(2019, 6, 1))
    assert not old.is_valid_on(datetime.date(2020, 2, 1))
    succession = old.successions.select_related("successor").get()
    assert succession.successor.name == "Xã Nông Thịnh Hạ"
    assert succession.effective_date == datetime.date(2020, 2, 1)
    divided = AdminUnitSuccession.objects.filter(predecessor__code="99103").order_by("-is_default")
    assert [(s.successor.code, s.is_default) for s in divided] == [
        ("99106", True),
        ("99105", False),
    ]


def test_reloading_changes_nothing():
    load_example()
    before = list(AdminUnit.objects.order_by("pk").values())
    stats = load_unit_history(EXAMPLE.read_text(encoding="utf-8"))
    assert not stats.changed
    assert list(AdminUnit.objects.order_by("pk").values()) == before


def test_a_changed_name_is_updated_and_nothing_deleted():
    load_example()
    count = AdminUnit.objects.count()
    text = EXAMPLE.read_text(encoding="utf-8").replace("99104,Yên Cư", "99104,Yên Cử")
    stats = load_unit_history(text)
    assert (stats.created, stats.updated) == (0, 1)
    assert AdminUnit.objects.get(code="99104").name == "Xã Yên Cử"
    assert AdminUnit.objects.count() == count


BAD = """code,name,type,parent_code,valid_from,valid_to,successor_codes
98,Tây Sơn,Tỉnh,,,30/06/2025,
981,Hà Bắc,Huyện,98,,30/06/2025,
98101,Tân Lập,Xã,981,,31/02/2020,
98102,,Xã,981,,31/01/2020,
98103,Phú Lộc,Xã,977,,31/01/2020,
98104,Yên Lạc,Xã,981,01/02/2020,31/01/2020,
98105,Kim Sơn,Xã,981,,31/01/2020,98999
"""


def test_bad_rows_are_named_in_vietnamese_and_nothing_is_written():
    with translation.override("vi"), pytest.raises(UnitHistoryError) as caught:
        load_unit_history(BAD)
    messages = "\n".join(caught.value.messages)
    assert "Dòng 4 (98101)" in messages  # 31/02 is no date
    assert "Dòng 5 (98102)" in messages  # no name
    assert "Dòng 7 (98104)" in messages  # starts after it ends
    assert not AdminUnit.objects.filter(code__startswith="98").exists()


def test_unknown_parent_and_successor_are_named():
    text = "\n".join(line for i, line in enumerate(BAD.splitlines()) if i not in (3, 4, 6))
    with translation.override("vi"), pytest.raises(UnitHistoryError) as caught:
        load_unit_history(text)
    messages = "\n".join(caught.value.messages)
    assert "Dòng 4 (98103)" in messages and "977" in messages
    assert "Dòng 5 (98105)" in messages and "98999" in messages
    assert not AdminUnit.objects.filter(code__startswith="98").exists()


def test_command_loads_the_file_and_reports_errors(tmp_path):
    out = StringIO()
    call_command("load_unit_history", str(EXAMPLE), stdout=out)
    assert AdminUnit.objects.filter(code__startswith="991").count() == 7
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_unit_history", str(bad), stdout=StringIO())


def test_the_package_loader_keeps_a_start_date_from_the_history():
    unit = AdminUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE).order_by("code").first()
    assert unit is not None and unit.valid_from is None
    text = (
        "code,name,type,parent_code,valid_from,valid_to,successor_codes\n"
        f"{unit.code},{unit.short_name},{unit.unit_type},{unit.parent.code},01/02/2020,,\n"
    )
    load_unit_history(text)
    unit.refresh_from_db()
    assert unit.valid_from == datetime.date(2020, 2, 1)
    assert unit.valid_to == datetime.date(2025, 6, 30)  # the package's end stays
    assert unit.name.endswith(unit.short_name)


def test_admin_upload_lists_errors_by_row_then_loads_a_good_file(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from khuyencong.accounts.models import User

    admin = User.objects.create_superuser("history-admin", "h@example.org", "a-long-password-1")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:places_adminunit_load_dated_units")
    assert url in client.get(reverse("admin:places_adminunit_changelist")).content.decode()
    bad = SimpleUploadedFile("bad.csv", BAD.encode(), content_type="text/csv")
    with translation.override("vi"):
        page = client.post(url, {"file": bad}, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "Dòng 4 (98101)" in page.content.decode()
    assert not AdminUnit.objects.filter(code__startswith="98").exists()
    good = SimpleUploadedFile("ok.csv", EXAMPLE.read_bytes(), content_type="text/csv")
    assert client.post(url, {"file": good}).status_code == 302
    assert AdminUnit.objects.filter(code__startswith="991").count() == 7
    binary = SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    assert client.post(url, {"file": binary}).status_code == 200
