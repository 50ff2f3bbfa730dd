"""The report's warnings (ReportData.warnings, filled by the builder) are shown before the
report is issued: on the preview, on the saved report's page, in the API's answer. They are
never printed in the document."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.urls import reverse

from khuyencong.reports import builder, render, services, snapshot
from khuyencong.reports.edits import ReportEdits
from tests.api.conftest import ApiClient, token_for
from tests.reports.conftest import DEMO_ISSUED_ON, login
from tests.reports.factories import report

WARNINGS = (
    "Chưa có kế hoạch khuyến công nào có hiệu lực trong năm 2018.",
    "Chưa ghi nhận đăng ký đề án cho năm 2019.",
)


@pytest.fixture
def warned(monkeypatch):
    real = builder.build_report

    def build_with_warnings(**kwargs):
        return dataclasses.replace(real(**kwargs), warnings=WARNINGS)

    for module in ("khuyencong.reports.views", "khuyencong.api.reports"):
        monkeypatch.setattr(f"{module}.build_report", build_with_warnings)
    monkeypatch.setattr(services, "build_report", build_with_warnings)


def test_the_preview_shows_the_warnings_in_an_alert(client, demo, warned):
    login(client, demo.users["canbo"])
    page = client.get(
        reverse("reports:preview"), {"province": demo.province.pk, "year": 2018, "period": "H1"}
    ).content.decode()
    alert = page.split('id="report-warnings"')[1].split("</div>")[0]
    assert "Cần xem lại trước khi ban hành báo cáo" in alert
    for warning in WARNINGS:
        assert warning in alert


def test_the_preview_of_a_report_without_warnings_has_no_alert(client, demo):
    login(client, demo.users["canbo"])
    page = client.get(
        reverse("reports:preview"), {"province": demo.province.pk, "year": 2018, "period": "H1"}
    ).content.decode()
    assert 'id="report-warnings"' not in page


def test_the_saved_reports_page_shows_them_from_its_snapshot(client, demo, warned):
    saved = services.save_report(
        user=demo.users["canbo"],
        province=demo.province,
        year=2018,
        period="H1",
        as_of=DEMO_ISSUED_ON.replace(month=6, day=30),
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
    )
    assert snapshot.load(saved.snapshot).warnings == WARNINGS
    login(client, demo.users["canbo"])
    page = client.get(reverse("reports:detail", args=[saved.pk])).content.decode()
    assert 'id="report-warnings"' in page
    for warning in WARNINGS:
        assert warning in page


def test_the_api_answer_carries_them(demo, warned):
    api = ApiClient(token_for(demo.users["canbo"]))
    body = api.get("/reports/document", province=demo.province.pk, year=2018, period="H1").json()
    assert body["warnings"] == list(WARNINGS)


def test_warnings_are_not_printed_in_the_documents():
    from docx import Document

    data = report(warnings=WARNINGS)
    assert snapshot.load(snapshot.dump(data)).warnings == WARNINGS
    text = "\n".join(p.text for p in Document(io.BytesIO(render.render_docx(data))).paragraphs)
    assert WARNINGS[0] not in text
    assert WARNINGS[0] not in render.render_html(data)
