"""render_pdf: WeasyPrint from the preview's HTML, with the vendored font embedded."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from khuyencong.documents import pdf
from tests.reports.conftest import flat, pdf_text

A4 = (595.28, 841.89)  # points


def test_pdf_is_a4_with_several_pages_and_a_title(seed_pdf, seed_data):
    assert seed_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(seed_pdf))
    assert len(reader.pages) >= 2
    sizes = [
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in reader.pages
    ]
    # A4 portrait, then the annex of projects on A4 landscape pages.
    portrait = sizes.index(A4[::-1])
    assert portrait >= 2
    assert sizes[:portrait] == [A4] * portrait
    assert set(sizes[portrait:]) == {A4[::-1]}
    assert reader.metadata.title == (
        "Báo cáo kết quả thực hiện kế hoạch khuyến công năm 2018 và mục tiêu, định hướng kế "
        "hoạch khuyến công năm 2019"
    )
    assert reader.metadata.author == seed_data.authority.name_in_text


def test_every_font_is_the_embedded_vendored_serif(seed_pdf):
    reader = PdfReader(io.BytesIO(seed_pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[1])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
    assert names == {"KC-Serif", "KC-Serif-Bold", "KC-Serif-Italic", "KC-Serif-Bold-Italic"}


def test_pdf_text_has_the_header_block(seed_pdf):
    text = pdf_text(seed_pdf)
    for line in (
        "UBND TỈNH BẮC KẠN",
        "SỞ CÔNG THƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/BC-SCT",
        "Bắc Kạn, ngày 05 tháng 7 năm 2018",
        "BÁO CÁO",
        "Kết quả thực hiện kế hoạch khuyến công năm 2018 và mục tiêu, định hướng kế hoạch "
        "khuyến công năm 2019",
    ):
        assert line in text


def test_pdf_text_has_every_paragraph_with_its_diacritics(seed_pdf, seed_paragraphs):
    text = pdf_text(seed_pdf)
    for paragraph in seed_paragraphs:
        assert flat(paragraph) in text


def test_pdf_text_has_recipients_and_signer(seed_pdf):
    text = pdf_text(seed_pdf)
    assert "Nơi nhận: - Cục Công Thương địa phương (b/c);" in text
    before_annex = text[: text.index("PHỤ LỤC: BIỂU ĐỒ")].strip()
    assert before_annex.endswith("- Lưu: VT, QLCN. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Nông Thị Thảo")


def test_pdf_fetches_static_files_only():
    fetcher = pdf._static_fetcher_class()(fail_on_errors=True)
    font = fetcher.fetch(f"{pdf.PDF_BASE_URL}static/documents/fonts/LiberationSerif-Regular.ttf")
    assert font.content_type == "font/ttf"
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    with pytest.raises(ValueError, match="only use static files"):
        fetcher.fetch("https://example.org/static/reports/document.css")
    with pytest.raises(FileNotFoundError):
        fetcher.fetch(f"{pdf.PDF_BASE_URL}static/reports/missing.css")
