"""Import/export test helpers: spreadsheets built in memory, users of Bắc Kạn."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import override_settings

from khuyencong.accounts.models import Role
from tests.projects import factories as pf

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks():
    with override_settings(TASKS=IMMEDIATE):
        yield


def make_xlsx(headers: list[str], rows: list[list[Any]], *, blank_rows_before: int = 0) -> bytes:
    """A workbook whose first sheet is an instructions sheet and second the data."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Điền dữ liệu ở trang sau"])
    sheet = workbook.create_sheet("Dữ liệu")
    for _ in range(blank_rows_before):
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BENEFICIARY_HEADERS = ["STT", "Tên cơ sở", "Loại hình", "Mã số thuế", "Địa chỉ", "Ngành nghề"]


def beneficiary_row(n: int, **overrides: Any) -> list[Any]:
    values = {
        "name": f"Hộ kinh doanh Số {n}",
        "kind": "Hộ kinh doanh",
        "tax_code": "",
        "address": f"thôn {n % 7}, xã Nông Thượng, TP Bắc Kạn, Bắc Kạn",
        "industry": "",
    }
    values.update(overrides)
    return [
        n,
        values["name"],
        values["kind"],
        values["tax_code"],
        values["address"],
        values["industry"],
    ]


@pytest.fixture
def units(db):
    return pf.units()


@pytest.fixture
def staff(db, units):
    return pf.user(Role.CENTRE_STAFF)


@pytest.fixture
def leader(db, units):
    return pf.user(Role.DEPARTMENT_LEADER)


def far_apart_xlsx(headers: list[str], *, declared: bool = True) -> bytes:
    """A workbook (openpyxl) with the template's headings at the top and one more cell at
    XFD1048576, the sheet's last cell: read as a dense grid it is 16384 × 1048576 cells.
    ``declared=False`` removes the sheet's ``<dimension>``, so only the cell references say
    how far it reaches."""
    import re
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.append(headers)
    sheet["XFD1048576"] = "xa"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if declared:
        return buffer.getvalue()
    source, target = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            archive.writestr(info, data)
    return target.getvalue()
