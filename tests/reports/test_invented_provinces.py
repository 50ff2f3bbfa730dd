"""Four invented provinces (tests/reports/provinces.py): for each, the facts its H1 or annual
report must state, checked in the text of the generated DOCX and PDF."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest

from khuyencong.reports import render
from khuyencong.reports.builder import build_report
from khuyencong.reports.compose import as_text, compose
from tests.reports import provinces
from tests.reports.conftest import flat, pdf_text


@pytest.fixture(scope="module")
def invented(django_db_setup, django_db_blocker):
    """The four provinces built once per module (rolled back at its end)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        built = {name: builder() for name, builder in provinces.BUILDERS.items()}
        yield SimpleNamespace(**built)
        transaction.set_rollback(True)


def report(province, year, period, **kwargs):
    return build_report(
        user=None,
        province=province.unit,
        year=year,
        period=period,
        issued_on=kwargs.pop("issued_on", datetime.date(year, 12, 31)),
        **kwargs,
    )


def test_print(invented, db):
    for name, year, period in (
        ("lang_son", 2024, "Y"),
        ("lang_son", 2025, "H1"),
        ("lang_son", 2026, "Y"),
        ("lang_son", 2027, "H1"),
        ("thai_nguyen", 2024, "H1"),
        ("thai_nguyen", 2024, "Y"),
        ("nghe_an", 2025, "H1"),
        ("quang_ngai", 2024, "H1"),
        ("quang_ngai", 2024, "Y"),
    ):
        data = report(getattr(invented, name), year, period)
        print("=====", name, year, period)
        print(as_text(compose(data)).split("Thứ hai,")[0])
        print(data.warnings)
    assert False
