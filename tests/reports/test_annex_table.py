"""The annex of projects ("PHỤ LỤC") inside the DOCX and the PDF, beside the XLSX annex: the
same rows (render.annex_rows), a group project never shown with an invented beneficiary, a
centre-run project without one, the budget per source, and a totals row equal to the sums."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from khuyencong.documents import xlsx
from khuyencong.reports import render, snapshot
from khuyencong.reports.data import ReportStatus
from tests.reports.conftest import flat, pdf_text
from tests.reports.factories import MILLION, place, project, report, section

HEADINGS = [
    "STT",
    "Tên đề án",
    "Đơn vị thụ hưởng",
    "Địa điểm",
    "Nội dung hoạt động",
    "Kinh phí KCQG (đồng)",
    "Kinh phí KCĐP (đồng)",
    "Kinh phí Đối ứng (đồng)",
    "Kinh phí Khác (đồng)",
    "Đã giải ngân (đồng)",
    "Tình trạng đến ngày 30/6/2018",
]


@pytest.fixture(scope="module")
def data():
    national = section(
        project(
            "Hỗ trợ ứng dụng máy sấy nông sản cho các cơ sở chế biến",
            kind="group",
            group_size=5,
            budget=450 * MILLION,
            budget_split=(450 * MILLION, 0, 300 * MILLION, 0),
            disbursed=200 * MILLION,
            content_area="Ứng dụng máy móc thiết bị",
            place=place("Tân Lập", "Chợ Đồn"),
            status=ReportStatus.IN_PROGRESS,
            progress_percent=60,
        ),
        source_code="national",
        label="Khuyến công quốc gia",
        short_label="KCQG",
    )
    local = section(
        project(
            "Hội chợ hàng công nghiệp nông thôn tiêu biểu",
            kind="centre",
            budget=87_500_000,
            budget_split=(0, 87_500_000, 0, 12_500_000),
            disbursed=87_500_000,
            content_area="Hội chợ triển lãm",
        ),
        project(
            "Hỗ trợ máy ép dầu lạc",
            beneficiary="Hợp tác xã Nông nghiệp Thanh Vân",
            budget=60 * MILLION,
            budget_split=(0, 60 * MILLION, 40 * MILLION, 0),
            disbursed=0,
            place=place("Thanh Vân", "Chợ Mới"),
            content_area="Ứng dụng máy móc thiết bị",
            status=ReportStatus.NOT_STARTED,
        ),
    )
    return report(national, local)


@pytest.fixture(scope="module")
def docx_table(data):
    document = Document(io.BytesIO(render.render_docx(data)))
    table = document.tables[-1]
    return document, [[cell.text for cell in row.cells] for row in table.rows]


def test_rows_name_who_each_project_supports(data):
    rows = render.annex_rows(data)
    assert [row.beneficiary for row in rows] == [
        "Đề án nhóm (5 cơ sở)",
        "Trung tâm thực hiện",
        "HTX Nông nghiệp Thanh Vân",
    ]
    assert [row.budgets for row in rows] == [
        (450 * MILLION, None, 300 * MILLION, None),
        (None, 87_500_000, None, 12_500_000),
        (None, 60 * MILLION, 40 * MILLION, None),
    ]
    totals = render.annex_totals(rows)
    assert totals.count == 3
    assert totals.budgets == (450 * MILLION, 147_500_000, 340 * MILLION, 12_500_000)
    assert totals.disbursed == 287_500_000


def test_a_group_project_lists_its_participants_so_far():
    line = project(kind="group", group_size=4, participants=("HTX Thanh Vân", "HKD Hà Văn Sơn"))
    assert render.annex_beneficiary(line) == "Đề án nhóm (4 cơ sở): HTX Thanh Vân; HKD Hà Văn Sơn"


def test_the_docx_has_the_annex_table_on_a_landscape_page(data, docx_table):
    document, rows = docx_table
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "PHỤ LỤC: DANH MỤC ĐỀ ÁN KHUYẾN CÔNG" in texts
    assert rows[0] == HEADINGS
    assert rows[1] == [
        "1",
        "Hỗ trợ ứng dụng máy sấy nông sản cho các cơ sở chế biến",
        "Đề án nhóm (5 cơ sở)",
        "xã Tân Lập, huyện Chợ Đồn",
        "Ứng dụng máy móc thiết bị",
        "450.000.000",
        "",
        "300.000.000",
        "",
        "200.000.000",
        "Đã hoàn thành được 60% khối lượng công việc",
    ]
    assert rows[2][2] == "Trung tâm thực hiện" and rows[2][3] == ""
    assert rows[3][2] == "HTX Nông nghiệp Thanh Vân"
    assert rows[-1] == [
        "",
        "Tổng cộng: 3 đề án",
        "",
        "",
        "",
        "450.000.000",
        "147.500.000",
        "340.000.000",
        "12.500.000",
        "287.500.000",
        "",
    ]
    assert len(rows) == 1 + 3 + 1


def test_the_docx_totals_row_is_the_sum_of_its_rows(docx_table):
    _document, rows = docx_table
    for column in range(5, 10):
        amounts = [int(row[column].replace(".", "") or 0) for row in rows[1:-1]]
        assert sum(amounts) == int(rows[-1][column].replace(".", ""))


def test_the_pdf_has_the_annex_table(data):
    from pypdf import PdfReader

    content = render.render_pdf(data)
    text = pdf_text(content)
    assert "PHỤ LỤC: DANH MỤC ĐỀ ÁN KHUYẾN CÔNG" in text
    last = PdfReader(io.BytesIO(content)).pages[-1]
    assert last.mediabox.width > last.mediabox.height  # landscape
    annex = flat(last.extract_text())
    for fact in (
        "Đề án nhóm (5 cơ sở)",
        "Trung tâm thực hiện",
        "HTX Nông nghiệp Thanh Vân",
        "Tổng cộng: 3 đề án",
        "147.500.000",
        "340.000.000",
        "287.500.000",
    ):
        assert fact in annex, fact


def test_the_xlsx_states_the_same_rows(data):
    sheet = load_workbook(io.BytesIO(render.render_xlsx(data))).active
    header = xlsx.ANNEX_HEADER_ROW
    rows = list(sheet.iter_rows(min_row=header + 1, values_only=True))[:-1]
    assert [row[4] for row in rows] == [row.beneficiary for row in render.annex_rows(data)]
    assert [tuple(row[6:10]) for row in rows] == [row.budgets for row in render.annex_rows(data)]


def test_the_seed_documents_carry_the_annex_of_its_13_projects(seed_data, seed_docx, seed_pdf):
    rows = [
        [cell.text for cell in row.cells] for row in Document(io.BytesIO(seed_docx)).tables[-1].rows
    ]
    assert len(rows) == 1 + 13 + 1
    assert rows[-1][1] == "Tổng cộng: 13 đề án"
    assert rows[-1][5:7] == ["600.000.000", "529.000.000"]
    assert "Tổng cộng: 13 đề án 600.000.000 529.000.000" in pdf_text(seed_pdf)


def test_the_split_and_kind_survive_the_snapshot(data):
    assert snapshot.load(snapshot.dump(data)) == data


def test_a_report_without_projects_has_no_annex(seed_data):
    empty = report(section())
    assert render.document_context(empty)["project_annex"] is None
    document = Document(io.BytesIO(render.render_docx(empty)))
    assert all(section.orientation == WD_ORIENT.PORTRAIT for section in document.sections)


def test_the_docx_annex_cells_keep_hostile_text_alignment_widths_and_bold_totals():
    """The annex rows are written as one piece of XML: the text must survive as python-docx
    would write it (markup characters, tab, line break; control characters dropped), each
    cell its column's width, the first column centred, money right-aligned, totals bold."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from khuyencong.documents.docx import TableAnnex, append_table_annex

    document = Document()
    annex = TableAnnex(
        title="PHỤ LỤC",
        subtitle="",
        columns=["STT", "Tên", "Số tiền"],
        widths_mm=[10, 80, 30],
        rows=[["1", 'Máy <ép> & "sấy"\tloại A\nđợt 2\x07', "1.000"], ["2", "", "0"]],
        total=["", "Tổng cộng: 2 đề án", "1.000"],
        right_aligned=(2,),
    )
    append_table_annex(document, annex)
    saved = io.BytesIO()
    document.save(saved)
    table = Document(io.BytesIO(saved.getvalue())).tables[-1]
    assert [cell.text for cell in table.rows[1].cells] == [
        "1",
        'Máy <ép> & "sấy"\tloại A\nđợt 2',
        "1.000",
    ]
    assert table.rows[2].cells[1].text == ""
    for row in table.rows[1:]:
        assert [round(cell.width.mm) for cell in row.cells] == [10, 80, 30]
        alignments = [cell.paragraphs[0].alignment for cell in row.cells]
        assert alignments == [WD_ALIGN_PARAGRAPH.CENTER, None, WD_ALIGN_PARAGRAPH.RIGHT]
    body_run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert not body_run.font.bold and body_run.font.size.pt == 9
    assert body_run.font.name == "Times New Roman"
    assert all(run.font.bold for run in table.rows[-1].cells[1].paragraphs[0].runs)
