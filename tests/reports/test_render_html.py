"""render_html: the document page (also the PDF's source)."""

from __future__ import annotations

import dataclasses
import html

from khuyencong.reports import render


def test_html_is_a_vietnamese_page_with_the_document_stylesheet(seed_data):
    page = render.render_html(seed_data)
    assert page.startswith("<!doctype html>")
    assert '<html lang="vi">' in page
    assert '<link rel="stylesheet" href="/static/reports/document.css">' in page
    assert "<title>Báo cáo kết quả thực hiện kế hoạch khuyến công năm 2018" in page


def test_html_holds_every_composed_paragraph_in_order(seed_data, seed_paragraphs):
    page = render.render_html(seed_data)
    positions = [page.index(html.escape(text, quote=False)) for text in seed_paragraphs]
    assert positions == sorted(positions)
    assert page.count('<p class="kc-heading">') == 3


def test_html_escapes_text(seed_data):
    data = dataclasses.replace(seed_data, title="Đề án <script>alert(1)</script> & khác")
    page = render.render_html(data)
    assert "<script>" not in page
    assert "Đề án &lt;script&gt;alert(1)&lt;/script&gt; &amp; khác" in page
