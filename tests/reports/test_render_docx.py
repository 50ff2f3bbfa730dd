"""render_docx: docxtpl over the committed Decree 30 template."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

from khuyencong.reports import render
from khuyencong.reports.docx_template import TEMPLATE_PATH, build_template
from tests.reports.conftest import pdf_text

TOLERANCE = Mm(0.1)


def cell_texts(document) -> list[list[str]]:
    return [
        [paragraph.text for paragraph in cell.paragraphs if paragraph.text]
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    ]


@pytest.fixture(scope="module")
def document(seed_docx):
    return Document(io.BytesIO(seed_docx))


def test_page_is_a4_with_decree_30_margins(document):
    section = document.sections[0]
    expected = {
        "page_width": Mm(210),
        "page_height": Mm(297),
        "top_margin": Mm(20),
        "bottom_margin": Mm(20),
        "left_margin": Mm(30),
        "right_margin": Mm(15),
    }
    for name, value in expected.items():
        assert abs(getattr(section, name) - value) < TOLERANCE, name
    assert 20 <= Mm(20) / Mm(1) <= 25  # the decree's ranges, spelled out
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert 'w:instr="PAGE"' in header_xml


def test_header_block(document, seed_data):
    cells = cell_texts(document)
    assert cells[0] == ["UBND TỈNH BẮC KẠN", "SỞ CÔNG THƯƠNG"]
    assert cells[1] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert cells[2] == [seed_data.number_line]
    assert cells[3] == ["Bắc Kạn, ngày 05 tháng 7 năm 2018"]
    motto = document.tables[0].rows[0].cells[1].paragraphs[1].runs[0]
    assert motto.bold and motto.underline
    place_date = document.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert place_date.italic
    issuer = document.tables[0].rows[0].cells[0].paragraphs[1]
    assert issuer.runs[0].bold
    assert issuer.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_title_and_body_paragraphs_in_order_and_style(document, seed_paragraphs):
    paragraphs = [p for p in document.paragraphs if p.text]
    annex = [p.text for p in paragraphs].index("PHỤ LỤC: BIỂU ĐỒ")
    body = paragraphs[:annex]
    assert paragraphs[annex].paragraph_format.page_break_before  # the charts on a page of their own
    assert body[0].text == "BÁO CÁO"
    assert body[1].text.startswith("Kết quả thực hiện kế hoạch khuyến công năm 2018")
    assert body[0].style.name == body[1].style.name == "KC Title"
    assert [p.text for p in body[2:]] == seed_paragraphs
    styles = [p.style.name for p in body[2:]]
    assert styles[0] == "KC Heading"
    assert styles[-1] == "KC Closing"  # kept with the signature block
    assert set(styles) == {"KC Heading", "KC Body", "KC Item", "KC Closing"}


def test_body_style_is_times_new_roman_14_justified_with_first_line_indent(document):
    style = document.styles["KC Body"]
    assert style.font.name == "Times New Roman"
    assert style.font.size == Pt(14)
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert style.paragraph_format.first_line_indent == Cm(1.27)
    assert style.paragraph_format.space_after >= Pt(6)
    assert document.styles["KC Recipient"].font.size == Pt(11)
    heading = document.styles["KC Recipients Heading"]
    assert heading.font.bold and heading.font.italic and heading.font.size == Pt(12)


def test_recipients_and_signature(document):
    recipients, signer = cell_texts(document)[4:6]
    assert recipients == [
        "Nơi nhận:",
        "- Cục Công Thương địa phương (b/c);",
        "- UBND tỉnh Bắc Kạn (b/c);",
        "- Lãnh đạo Sở;",
        "- Trung tâm Khuyến công và XTTM;",
        "- Lưu: VT, QLCN.",
    ]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nông Thị Thảo"]


def test_no_template_tags_left_and_text_is_escaped(seed_data):
    data = dataclasses.replace(
        seed_data, title="A <b> & “B”", signer=dataclasses.replace(seed_data.signer, capacity="")
    )
    content = render.render_docx(data)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "{{" not in xml and "{%" not in xml
    document = Document(io.BytesIO(content))
    assert any(p.text == "A <b> & “B”" for p in document.paragraphs)
    assert cell_texts(document)[5] == ["PHÓ GIÁM ĐỐC", "Nông Thị Thảo"]  # no capacity line
    assert document.core_properties.title == "Báo cáo a <b> & “B”"


def test_committed_template_is_what_the_builder_makes(tmp_path):
    built = tmp_path / "report.docx"
    build_template().save(str(built))
    with zipfile.ZipFile(TEMPLATE_PATH) as committed, zipfile.ZipFile(built) as fresh:
        assert sorted(committed.namelist()) == sorted(fresh.namelist())
        for name in fresh.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                assert committed.read(name) == fresh.read(name), (
                    f"{name} differs: run `manage.py build_report_template` and commit"
                )


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (make system-deps)"
)
def test_libreoffice_converts_the_docx_to_pdf_with_the_text(seed_docx, seed_paragraphs, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(seed_docx)
    profile = tmp_path / "profile"  # a private profile: parallel runs do not share a lock
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
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
    text = pdf_text((tmp_path / "report.pdf").read_bytes())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    for paragraph in seed_paragraphs:
        assert " ".join(paragraph.split()) in text
    assert "Nông Thị Thảo" in text
    # the annex of projects: each amount on one line of its cell (no "600.000.00 0")
    assert "Tổng cộng: 13 đề án 600.000.000 529.000.000 0 0 100.000.000" in text
