"""The reader takes OpenDocument (.ods) as well as .xlsx (python-calamine). The .ods here is
written by hand (a zip with content.xml), as LibreOffice Calc would save it."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from khuyencong.documents.xlsx_reader import read_sheet
from khuyencong.spreadsheets.pipeline import BENEFICIARY_COLUMNS
from tests.imports.conftest import BENEFICIARY_HEADERS, beneficiary_row

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def make_ods(rows: list[list[object]]) -> bytes:
    def cell(value: object) -> str:
        if value in (None, ""):
            return "<table:table-cell/>"
        if isinstance(value, int):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Dữ liệu">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def test_an_ods_file_reads_like_xlsx():
    data = make_ods([BENEFICIARY_HEADERS, beneficiary_row(1), [], beneficiary_row(2)])
    sheet = read_sheet(io.BytesIO(data), BENEFICIARY_COLUMNS)
    records = list(sheet.records())
    assert [row for row, _values in records] == [2, 4]
    assert records[0][1]["name"] == "Hộ kinh doanh Số 1"
    assert records[1][1]["address"].endswith("Bắc Kạn")
