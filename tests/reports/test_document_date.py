"""The document's date defaults to the period's end (the as-of date for a report "to a
date"), never silently to today: builder, saved report, preview form, command."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from khuyencong.documents import wording
from khuyencong.reports import services
from khuyencong.reports.builder import build_report
from khuyencong.reports.data import default_issued_on, make_period
from khuyencong.reports.edits import ReportEdits
from tests.reports.conftest import login

D = datetime.date
PERIOD_ENDS = [
    ("Q1", None, D(2018, 3, 31)),
    ("H1", None, D(2018, 6, 30)),
    ("Q3", None, D(2018, 9, 30)),
    ("9M", None, D(2018, 9, 30)),
    ("Y", None, D(2018, 12, 31)),
    ("D", D(2018, 8, 15), D(2018, 8, 15)),
]


@pytest.mark.parametrize(("kind", "as_of", "expected"), PERIOD_ENDS)
def test_the_default_date_is_the_period_end(kind, as_of, expected):
    assert default_issued_on(make_period(kind, 2018, as_of), as_of) == expected


def test_a_status_date_after_the_period_dates_the_report_then():
    period = make_period("H1", 2018)
    assert default_issued_on(period, D(2018, 7, 5)) == D(2018, 7, 5)
    assert default_issued_on(period, D(2018, 6, 1)) == D(2018, 6, 30)


@pytest.mark.parametrize(("kind", "as_of", "expected"), PERIOD_ENDS)
def test_the_builder_dates_the_report_at_the_period_end(demo, kind, as_of, expected):
    data = build_report(user=None, province=demo.province, year=2018, period=kind, as_of=as_of)
    assert data.issued_on == expected
    assert data.place_date_line == wording.document_date("Bắc Kạn", expected)
    given = D(2018, 10, 2)
    data = build_report(
        user=None, province=demo.province, year=2018, period=kind, as_of=as_of, issued_on=given
    )
    assert data.issued_on == given  # editable


def test_a_saved_report_without_a_date_is_dated_at_the_period_end(demo):
    report = services.save_report(
        user=demo.users["canbo"],
        province=demo.province,
        year=2018,
        period="Q3",
        as_of=D(2018, 9, 30),
        edits=ReportEdits(),
    )
    assert report.issued_on == D(2018, 9, 30)


def test_the_preview_form_starts_from_the_period_end(client, demo):
    login(client, demo.users["canbo"])
    page = client.get(
        reverse("reports:preview"), {"province": demo.province.pk, "year": 2018, "period": "9M"}
    )
    assert page.status_code == 200
    assert page.context["form"]["issued_on"].value() == D(2018, 9, 30)
    assert wording.document_date("Bắc Kạn", D(2018, 9, 30)) in page.content.decode()


def test_the_command_dates_the_document_at_the_period_end(demo, tmp_path):
    from docx import Document

    output = tmp_path / "bc.docx"
    call_command(
        "report",
        "--province=Bắc Kạn",
        "--year=2018",
        "--period=Y",
        "--format=docx",
        f"-o={output}",
        stdout=io.StringIO(),
    )
    document = Document(str(output))
    texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert wording.document_date("Bắc Kạn", D(2018, 12, 31)) in texts
