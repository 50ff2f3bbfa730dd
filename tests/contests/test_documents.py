"""The decision (DOCX, XLSX) and certificate documents, through the reports engine."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from khuyencong.contests import documents
from khuyencong.contests.documents import DECISION_TEMPLATE, build_decision_template

from .factories import closed_contest_with_certificates

pytestmark = pytest.mark.django_db


def test_committed_decision_template_is_what_the_builder_makes(tmp_path):
    built = tmp_path / "decision.docx"
    build_decision_template().save(str(built))
    with zipfile.ZipFile(DECISION_TEMPLATE) as committed, zipfile.ZipFile(built) as fresh:
        assert sorted(committed.namelist()) == sorted(fresh.namelist())
        for name in fresh.namelist():
            if name.endswith((".xml", ".rels")):
                assert committed.read(name) == fresh.read(name), (
                    f"{name} differs: run documents.write_decision_template() and commit"
                )


@pytest.mark.parametrize(
    ("authority", "line"),
    [
        ("Ủy ban nhân dân tỉnh Bắc Kạn", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC KẠN"),
        ("Uỷ ban nhân dân huyện Na Rì", "CHỦ TỊCH UỶ BAN NHÂN DÂN HUYỆN NA RÌ"),
        ("Bộ Công Thương", "BỘ TRƯỞNG BỘ CÔNG THƯƠNG"),
        ("Hội đồng X", "HỘI ĐỒNG X"),
    ],
)
def test_the_decision_is_taken_in_the_name_of_the_authority_head(authority, line):
    assert documents.authority_head(authority) == line


@pytest.fixture
def decided():
    return closed_contest_with_certificates()


def test_decision_docx_states_the_recognised_products(decided):
    contest, certificates = decided
    content = documents.decision_docx(contest)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "{{" not in xml and "{%" not in xml
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == [
        "QUYẾT ĐỊNH",
        "Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2018",
    ]
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC KẠN" in texts
    assert "QUYẾT ĐỊNH:" in texts
    assert any(t.startswith("Điều 1. Công nhận 02 sản phẩm") for t in texts)
    assert any("từ 70 điểm trở lên" in t for t in texts)
    center = next(p for p in document.paragraphs if p.text == "QUYẾT ĐỊNH:")
    assert center.style.name == "KC Center"
    header = [cell.text for cell in document.tables[0].rows[1].cells]
    assert header == ["Số: 789/QĐ-UBND", "Bắc Kạn, ngày 10 tháng 5 năm 2018"]
    annex = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in annex.rows]
    assert rows[0][0] == "STT" and rows[0][-1] == "Số giấy chứng nhận"
    assert [row[-1] for row in rows[1:]] == [c.number for c in certificates]
    assert rows[1][5] == "82"  # (80 + 82 + 84) / 3, the Vietnamese way
    assert "(Kèm theo Quyết định số 789/QĐ-UBND ngày 10 tháng 5 năm 2018" in "\n".join(texts)
    signer = [cell.text for cell in document.tables[1].rows[0].cells][1]
    assert "KT. CHỦ TỊCH" in signer and "Nguyễn Văn A" in signer


def test_decision_xlsx_lists_the_same_products(decided):
    from openpyxl import load_workbook

    contest, certificates = decided
    sheet = load_workbook(io.BytesIO(documents.decision_xlsx(contest))).active
    assert sheet["A1"].value.startswith("DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU")
    header = [cell.value for cell in sheet[4]]
    assert header == documents.XLSX_COLUMNS
    *rows, total = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert [row[6] for row in rows] == [c.number for c in certificates]
    assert rows[0][5] == 82  # a number, not text
    assert sheet.cell(row=5, column=6).number_format == "0.00"
    assert total[1] == "Tổng cộng" and total[2] == '=COUNTA(B5:B6)&" sản phẩm"'
    assert sheet.freeze_panes == "A5"


def test_certificate_html_escapes_and_carries_the_facts(decided):
    _contest, certificates = decided
    certificate = certificates[0]
    certificate.product_name = "Bàn <ghế> & “tủ”"
    html = documents.certificate_html(certificate)
    assert "Bàn &lt;ghế&gt; &amp; “tủ”" in html
    assert "31 tháng 12 năm 2020" in html
    assert (
        "Quyết định số 789/QĐ-UBND ngày 10 tháng 5 năm 2018 của Ủy ban nhân dân tỉnh Bắc Kạn"
        in html
    )
    assert "Xã Cường Lợi, huyện Na Rì, tỉnh Bắc Kạn" in html
    assert "ĐÃ THU HỒI" not in html
