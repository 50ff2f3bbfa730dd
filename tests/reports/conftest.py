from __future__ import annotations

import io
import re

import pytest

from khuyencong.reports import render
from khuyencong.reports.compose import compose
from khuyencong.reports.samples import seed_report_2018


@pytest.fixture(scope="session")
def seed_data():
    return seed_report_2018()


@pytest.fixture(scope="session")
def seed_paragraphs(seed_data):
    return [paragraph.text for paragraph in compose(seed_data)]


@pytest.fixture(scope="session")
def seed_docx(seed_data) -> bytes:
    return render.render_docx(seed_data)


@pytest.fixture(scope="session")
def seed_pdf(seed_data) -> bytes:
    return render.render_pdf(seed_data)


@pytest.fixture(scope="session")
def seed_xlsx(seed_data) -> bytes:
    return render.render_xlsx(seed_data)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    """The PDF's text with page numbers (a number alone ending a page) taken out and all
    whitespace collapsed, so sentences broken across lines and pages read whole."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return flat(" ".join(re.sub(r"\n\d+\s*$", "", page) for page in pages))
