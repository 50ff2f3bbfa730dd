"""The files generated from the demo database are valid: python-docx opens the DOCX and
LibreOffice converts it; the XLSX annex's rows and totals equal the database's sums; the PDF
has selectable Vietnamese text in the embedded fonts."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
from django.db.models import Sum

from khuyencong.documents.xlsx import ANNEX_HEADER_ROW
from khuyencong.projects.models import ProgressUpdate, Project
from khuyencong.reports import render
from khuyencong.reports.builder import build_report
from khuyencong.reports.edits import starting_edits

AS_OF = datetime.date(2018, 6, 30)


@pytest.fixture
def data(demo):
    built = build_report(
        user=None,
        province=demo.province,
        year=2018,
        period="H1",
        issued_on=datetime.date(2018, 7, 5),
    )
    return starting_edits(built).apply(built)


def db_budget(source: str) -> int:
    field = f"budget_{source}"
    return Project.objects.filter(plan__year=2018, plan__funding_source__code=source).aggregate(
        total=Sum(field)
    )["total"]


def db_disbursed() -> int:
    return ProgressUpdate.objects.filter(project__plan__year=2018, date__lte=AS_OF).aggregate(
        total=Sum("disbursed_amount")
    )["total"]


def test_docx_opens_and_libreoffice_converts_it(data, tmp_path):
    from docx import Document

    content = render.render_docx(data)
    document = Document(io.BytesIO(content))
    assert any(p.text.startswith("Thứ nhất,") for p in document.paragraphs)
    assert len(document.inline_shapes) == 2  # the chart annex: two pictures
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is missing: run `make test-deps`")
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    from pypdf import PdfReader

    converted = PdfReader(tmp_path / "report.pdf")
    assert len(converted.pages) >= 3
    text = " ".join(page.extract_text() for page in converted.pages)
    assert "Khuyến công địa phương" in " ".join(text.split())


def test_xlsx_rows_and_totals_equal_the_database(data):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(render.render_xlsx(data))).active
    header = [cell.value for cell in sheet[ANNEX_HEADER_ROW]]
    national = header.index("Kinh phí KCQG (đồng)") + 1
    local = header.index("Kinh phí KCĐP (đồng)") + 1
    disbursed = header.index("Đã giải ngân (đồng)") + 1
    first = ANNEX_HEADER_ROW + 1
    rows = list(sheet.iter_rows(min_row=first, max_row=first + 12, values_only=True))
    assert len([row for row in rows if row[0]]) == 13 == Project.objects.count()
    assert {row[header.index("Mã đề án")] for row in rows} == set(
        Project.objects.values_list("code", flat=True)
    )

    def column_sum(column: int) -> int:
        return sum(row[column - 1] or 0 for row in rows)

    assert column_sum(national) == db_budget("national") == 600_000_000
    assert column_sum(local) == db_budget("local") == 529_000_000
    assert column_sum(disbursed) == db_disbursed()
    total_row = first + 13
    assert sheet.cell(total_row, 3).value == "Tổng cộng"
    for column in (national, local, disbursed):
        letter = sheet.cell(total_row, column).column_letter
        assert (
            sheet.cell(total_row, column).value == f"=SUM({letter}{first}:{letter}{total_row - 1})"
        )
    # the text states the same totals
    assert data.sections[0].total_budget == column_sum(national)
    assert data.sections[1].total_budget == column_sum(local)


def test_pdf_has_selectable_vietnamese_text_in_embedded_fonts(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render.render_pdf(data)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Đối với Khuyến công địa phương: Năm 2018",
        "đơn vị thụ hưởng là HTX Nông nghiệp Tân Thành, xã Nông Thượng, thành phố Bắc Kạn",
        "PHỤ LỤC: BIỂU ĐỒ",
    ):
        assert phrase in text
    # the chart annex: the DOCX's two pictures, drawn on the last page only
    from docx import Document
    from PIL import Image

    docx_sizes = sorted(
        Image.open(io.BytesIO(part.blob)).size
        for part in Document(io.BytesIO(render.render_docx(data))).part.package.parts
        if part.partname.endswith(".png")
    )
    drawn = [page.get_contents().get_data().count(b" Do\n") for page in reader.pages]
    charts_page = next(
        index
        for index, page in enumerate(reader.pages)
        if "PHỤ LỤC: BIỂU ĐỒ" in page.extract_text()
    )
    assert drawn == [0] * charts_page + [2] + [0] * (len(reader.pages) - charts_page - 1)
    # then the annex of projects, on landscape pages of their own
    assert "PHỤ LỤC: DANH MỤC ĐỀ ÁN KHUYẾN CÔNG" in reader.pages[charts_page + 1].extract_text()
    assert sorted(image.image.size for image in reader.pages[-1].images) == docx_sizes
    assert len(docx_sizes) == 2
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts <= {"KC-Serif", "KC-Serif-Bold", "KC-Serif-Italic", "KC-Serif-Bold-Italic"}
