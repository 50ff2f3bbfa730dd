from __future__ import annotations

import datetime
import io
import re
from types import SimpleNamespace

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
    """The PDF's text with page numbers (a number alone ending or starting a page) taken out and all
    whitespace collapsed, so sentences broken across lines and pages read whole."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    # WeasyPrint writes the page number last, LibreOffice (the header of a DOCX) first.
    pages = [re.sub(r"^\s*\d+\n", "", re.sub(r"\n\d+\s*$", "", page)) for page in pages]
    return flat(" ".join(pages))


# --------------------------------------------------------------------------------------------
# The demo database: Bắc Kạn 2018 as the seed tells it (load_demo: organisations, beneficiaries,
# users, the 13 projects walked through the lifecycle services, the report settings).

DEMO_ISSUED_ON = datetime.date(2018, 7, 5)


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo loaded once per test module inside a transaction rolled back at its end; each
    test runs in a savepoint of it (pytest-django's ``db``), so tests stay independent."""
    from django.db import transaction

    from khuyencong.accounts.models import User
    from khuyencong.demo.loader import bac_kan
    from khuyencong.demo.run import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        users = {user.username: user for user in User.objects.all()}
        yield SimpleNamespace(province=bac_kan(), users=users)
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # generated files go to a scratch folder
    for user in demo_module.users.values():
        user.refresh_from_db()
    return demo_module


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
