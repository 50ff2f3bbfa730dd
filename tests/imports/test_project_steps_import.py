"""Issue 20: the project import records the steps the file knows, and only those, each on its
own date (column groups per step, or the sheet "Các bước"); when the lifecycle needs a step
the file does not know, one "taken over" baseline (EventKind.TAKEN_OVER) records the status,
and the report derives no date from it. Errors name the row, the column and the step; the
same file again changes nothing; a different value for a recorded step is a conflict.

Built on an invented Lạng Sơn (tests/reports/provinces.py), not the Bắc Kạn demo."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from khuyencong.accounts.roles import Role
from khuyencong.projects import services
from khuyencong.projects.lifecycle import Refused
from khuyencong.projects.models import EventKind, Project, Status
from khuyencong.reports import compose
from khuyencong.reports.builder import build_report
from khuyencong.spreadsheets.pipeline import read_file, run
from khuyencong.spreadsheets.pipeline_projects import ProjectImporter
from tests.projects import factories as pf
from tests.reports import provinces

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def world():
    province = provinces._province("Lạng Sơn", [])
    plan = provinces._plan(
        province, "local", 2025, ceiling=2_000_000_000, number="25/QĐ-UBND",
        day=D(2025, 1, 10), issuer="UBND tỉnh Lạng Sơn",
    )  # fmt: skip
    leader = pf.user(Role.DEPARTMENT_LEADER, province=province.unit)
    return {"province": province, "plan": plan, "leader": leader}


def project(world: dict[str, Any], code: str, **cells: Any) -> dict[str, Any]:
    """A project row as header -> value (the sheet's columns are the union of the rows')."""
    commune = world["province"].communes[0]
    return {
        "Mã đề án": code,
        "Tên đề án": f"Đề án {code}",
        "Nội dung hoạt động": "machinery",
        "Năm kế hoạch": 2025,
        "Nguồn kinh phí": "KCĐP",
        "Đơn vị thực hiện": world["province"].centre.name,
        "Địa điểm": "",
        "Mã xã": commune.code,
        "Kinh phí KCĐP (đồng)": 300_000_000,
        "Ngày đăng ký": "10/01/2025",
        **cells,
    }


STEP_HEADERS = ["Mã đề án", "Bước", "Ngày", "Số văn bản", "Cơ quan ban hành", "Số tiền (đồng)"]


def workbook(rows: list[dict[str, Any]], steps: list[list[Any]] | None = None) -> bytes:
    headers: list[str] = []
    for values in rows:
        headers += [header for header in values if header not in headers]
    book = Workbook()
    sheet = book.active
    sheet.title = "Dữ liệu"
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(header, "") for header in headers])
    if steps is not None:
        events = book.create_sheet("Các bước")
        events.append(
            ["Mã đề án", "Bước", "Ngày", "Số văn bản", "Cơ quan ban hành", "Số tiền (đồng)"]
        )
        for values in steps:
            events.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load(world: dict[str, Any], data: bytes, *, commit: bool = True):
    importer = ProjectImporter(world["leader"])
    sheet = read_file(importer, io.BytesIO(data))
    return run(importer, sheet, commit=commit)


def events(code: str) -> list[tuple[str, datetime.date, str, str]]:
    found = Project.objects.get(code=code).events.order_by("sequence")
    return [(e.kind, e.effective_date, e.to_status, e.document_number) for e in found]


def lines(world: dict[str, Any], as_of: datetime.date):
    data = build_report(
        user=world["leader"], province=world["province"].unit, year=2025, period="D", as_of=as_of
    )
    [section] = [s for s in data.sections if s.projects]
    return section, {line.reference: line for line in section.projects}


ACCEPTED = {
    "Ngày thẩm định": "20/02/2025",
    "Ngày phê duyệt": "01/03/2025", "Số QĐ phê duyệt": "31/QĐ-UBND",
    "Ngày giao nhiệm vụ": "15/03/2025", "Số QĐ giao nhiệm vụ": "40/QĐ-UBND",
    "Cơ quan giao nhiệm vụ": "UBND tỉnh Lạng Sơn",
    "Ngày ký HĐ": "01/04/2025", "Số HĐ": "07/HĐ-KC",
    "Ngày nghiệm thu": "20/09/2025", "Số biên bản nghiệm thu": "15/BB-NT",
    "Đã giải ngân (đồng)": 250_000_000,
}  # fmt: skip


def test_partial_steps_are_recorded_on_their_dates_and_nothing_is_invented(world):
    rows = [
        project(world, "LS-A", **ACCEPTED),
        # in progress: only the contract and the work done are known
        project(world, "LS-B", **{
            "Tình trạng": "Đang thực hiện", "Ngày tình trạng": "30/06/2025",
            "Ngày ký HĐ": "10/05/2025", "Số HĐ": "11/HĐ-KC", "Khối lượng (%)": 40,
        }),
        # stopped after its approval
        project(world, "LS-C", **{
            "Ngày thẩm định": "20/02/2025",
            "Ngày phê duyệt": "05/03/2025", "Số QĐ phê duyệt": "33/QĐ-UBND",
            "Ngày dừng": "10/08/2025", "Số QĐ dừng": "90/QĐ-UBND",
            "Lý do dừng": "Đơn vị không bố trí được vốn đối ứng",
        }),
    ]  # fmt: skip
    report = load(world, workbook(rows))
    assert report.errors == [], report.errors
    assert events("LS-A") == [
        (EventKind.REGISTER, D(2025, 1, 10), Status.REGISTERED, ""),
        (EventKind.APPRAISE, D(2025, 2, 20), Status.APPRAISED, ""),
        (EventKind.APPROVE, D(2025, 3, 1), Status.APPROVED, "31/QĐ-UBND"),
        (EventKind.ASSIGN, D(2025, 3, 15), Status.ASSIGNED, "40/QĐ-UBND"),
        (EventKind.CONTRACT, D(2025, 4, 1), Status.CONTRACTED, "07/HĐ-KC"),
        (EventKind.START, D(2025, 9, 20), Status.IN_PROGRESS, ""),
        (EventKind.ACCEPT, D(2025, 9, 20), Status.ACCEPTED, "15/BB-NT"),
    ]
    a = Project.objects.get(code="LS-A")
    assert sorted(a.progress_updates.values_list("progress_percent", "disbursed_amount")) == [
        (100, 0),
        (100, 250_000_000),
    ]
    # no approval, assignment or appraisal invented before the known contract
    assert events("LS-B") == [
        (EventKind.REGISTER, D(2025, 1, 10), Status.REGISTERED, ""),
        (EventKind.TAKEN_OVER, D(2025, 5, 10), Status.ASSIGNED, ""),
        (EventKind.CONTRACT, D(2025, 5, 10), Status.CONTRACTED, "11/HĐ-KC"),
        (EventKind.START, D(2025, 6, 30), Status.IN_PROGRESS, ""),
    ]
    assert events("LS-C") == [
        (EventKind.REGISTER, D(2025, 1, 10), Status.REGISTERED, ""),
        (EventKind.APPRAISE, D(2025, 2, 20), Status.APPRAISED, ""),
        (EventKind.APPROVE, D(2025, 3, 5), Status.APPROVED, "33/QĐ-UBND"),
        (EventKind.REQUEST_STOP, D(2025, 8, 10), Status.STOP_REQUESTED, ""),
        (EventKind.APPROVE_STOP, D(2025, 8, 10), Status.STOPPED, "90/QĐ-UBND"),
    ]
    # the report: the assignment month is the known assignment's (March), never a baseline's
    section, by_code = lines(world, D(2025, 12, 31))
    assert section.assigned_on is not None
    assert (section.assigned_on.year, section.assigned_on.month) == (2025, 3)
    assert not by_code["LS-A"].taken_over and by_code["LS-B"].taken_over
    # on 30 April only LS-A is contracted (LS-B's contract is in May)
    section, by_code = lines(world, D(2025, 4, 30))
    contracted = [code for code, line in by_code.items() if line.status == "contract_signed"]
    assert contracted == ["LS-A"]


def test_a_status_alone_is_one_baseline_and_the_report_gives_no_date(world):
    row = project(world, "LS-D", **{
        "Tình trạng": "Đã ký hợp đồng", "Ngày tình trạng": "01/06/2025", "Số văn bản": "HĐ-9",
    })  # fmt: skip
    report = load(world, workbook([row]))
    assert report.errors == [], report.errors
    assert events("LS-D") == [
        (EventKind.REGISTER, D(2025, 1, 10), Status.REGISTERED, ""),
        (EventKind.TAKEN_OVER, D(2025, 6, 1), Status.CONTRACTED, "HĐ-9"),
    ]
    section, by_code = lines(world, D(2025, 12, 31))
    assert section.assigned_on is None
    line = by_code["LS-D"]
    assert line.taken_over
    text = compose.project_line(line)
    assert "chuyển từ dữ liệu cũ" in text
    assert "06/2025" not in text and "tháng 6" not in text


def test_the_steps_sheet(world):
    rows = [project(world, "LS-E", **{"Tình trạng": "Đã ký hợp đồng"})]
    steps = [
        ["LS-E", "Thẩm định", "20/02/2025", "", "", ""],
        ["LS-E", "Phê duyệt", "01/03/2025", "31/QĐ-UBND", "UBND tỉnh Lạng Sơn", ""],
        ["LS-E", "Giao nhiệm vụ", "15/03/2025", "40/QĐ-UBND", "UBND tỉnh Lạng Sơn", ""],
        ["LS-E", "Ký hợp đồng", "01/04/2025", "07/HĐ-KC", "", ""],
    ]
    report = load(world, workbook(rows, steps))
    assert report.errors == [], report.errors
    assert [kind for kind, *_rest in events("LS-E")] == [
        EventKind.REGISTER, EventKind.APPRAISE, EventKind.APPROVE, EventKind.ASSIGN,
        EventKind.CONTRACT,
    ]  # fmt: skip
    assign = Project.objects.get(code="LS-E").events.get(kind=EventKind.ASSIGN)
    assert assign.issuer == "UBND tỉnh Lạng Sơn"


def test_errors_name_the_row_the_column_and_the_step(world):
    rows = [
        project(world, "LS-F", **{"Ngày ký HĐ": "01/04/2025"}),  # no contract number
        project(world, "LS-G", **{  # an approval and a contract, the assignment unknown
            "Ngày thẩm định": "20/02/2025",
            "Ngày phê duyệt": "01/03/2025", "Số QĐ phê duyệt": "31/QĐ-UBND",
            "Ngày ký HĐ": "01/04/2025", "Số HĐ": "07/HĐ-KC",
        }),
        project(world, "LS-H", **{**ACCEPTED, "Giá trị nghiệm thu (đồng)": 900_000_000}),
        project(world, "LS-I", **{"Tình trạng": "Đã nghiệm thu", **{
            k: v for k, v in ACCEPTED.items() if "nghiệm thu" not in k}}),
    ]  # fmt: skip
    steps = [["LS-F", "Bàn giao", "01/05/2025", "1/BG", "", ""]]
    report = load(world, workbook(rows, steps))
    found = {(p["row"], p.get("sheet", ""), p["column"]): p["message"] for p in report.errors}
    assert found[(2, "", "Số HĐ")] == "Bước “Ký hợp đồng” cần số văn bản."
    assert "Giao nhiệm vụ" in found[(3, "", "Ngày giao nhiệm vụ")]
    assert "Nghiệm thu" in found[(4, "", "Giá trị nghiệm thu (đồng)")]
    assert "Nghiệm thu" in found[(5, "", "Tình trạng")]
    assert "Bàn giao" in found[(2, "Các bước", "Bước")]
    assert not Project.objects.filter(code__startswith="LS-").exists()


def test_the_same_file_again_changes_nothing_and_a_different_step_is_a_conflict(world):
    rows = [
        project(world, "LS-A", **ACCEPTED),
        project(world, "LS-D", **{
            "Tình trạng": "Đã ký hợp đồng", "Ngày tình trạng": "01/06/2025",
        }),
    ]  # fmt: skip
    data = workbook(rows)
    assert load(world, data).errors == []
    before = (events("LS-A"), events("LS-D"))
    updates = Project.objects.get(code="LS-A").progress_updates.count()
    again = load(world, data)
    assert again.errors == [] and again.created == 0
    assert {p["row"] for p in again.unchanged} == {2, 3}
    assert (events("LS-A"), events("LS-D")) == before
    assert Project.objects.get(code="LS-A").progress_updates.count() == updates
    changed = [project(world, "LS-A", **{**ACCEPTED, "Số QĐ phê duyệt": "32/QĐ-UBND"})]
    report = load(world, workbook(changed))
    [error] = report.errors
    assert (error["row"], error["column"]) == (2, "Ngày phê duyệt")
    assert "31/QĐ-UBND" in error["message"] and "32/QĐ-UBND" in error["message"]
    assert events("LS-A") == before[0]


def test_later_steps_of_a_project_imported_before_are_added(world):
    first = project(world, "LS-J", **{
        "Ngày thẩm định": "20/02/2025",
        "Ngày phê duyệt": "01/03/2025", "Số QĐ phê duyệt": "31/QĐ-UBND",
    })  # fmt: skip
    assert load(world, workbook([first])).errors == []
    later = {**first, "Ngày giao nhiệm vụ": "15/03/2025", "Số QĐ giao nhiệm vụ": "40/QĐ-UBND"}
    report = load(world, workbook([later]))
    assert report.errors == [], report.errors
    assert events("LS-J")[-1] == (EventKind.ASSIGN, D(2025, 3, 15), Status.ASSIGNED, "40/QĐ-UBND")
    assert len(events("LS-J")) == 4


def test_a_centre_run_project_at_the_province_or_a_district(world):
    province = world["province"].unit
    district = world["province"].communes[0].parent
    abbreviated = f"H. {district.short_name}, T. {province.short_name}"
    rows = [
        project(world, "LS-K", **{"Mã xã": "", "Địa điểm": province.name,
                                  "Loại đề án": "Trung tâm thực hiện"}),
        project(world, "LS-L", **{"Mã xã": "", "Địa điểm": f"{district.name}, {province.name}"}),
        project(world, "LS-M", **{"Mã xã": "", "Địa điểm": abbreviated, "Loại đề án": "Trung tâm"}),
    ]  # fmt: skip
    report = load(world, workbook(rows))
    assert report.errors == [], report.errors
    places = dict(Project.objects.filter(code__startswith="LS-").values_list("code", "place"))
    assert places == {"LS-K": province.pk, "LS-L": district.pk, "LS-M": district.pk}


def test_only_the_import_records_a_baseline(world, client):
    row = project(world, "LS-N")
    assert load(world, workbook([row])).errors == []
    registered = Project.objects.get(code="LS-N")
    admin = pf.user(Role.SYSTEM_ADMIN)
    with pytest.raises(Refused) as caught:
        services.project_transition(
            project=registered, kind=EventKind.TAKEN_OVER, effective_date=D(2025, 3, 1),
            actor=admin, to_status=Status.APPROVED,
        )  # fmt: skip
    assert caught.value.code == "permission"
    assert events("LS-N") == [(EventKind.REGISTER, D(2025, 1, 10), Status.REGISTERED, "")]
    client.force_login(admin)
    url = reverse("projects:step", args=[registered.pk, EventKind.TAKEN_OVER])
    assert client.get(url).status_code == 404
