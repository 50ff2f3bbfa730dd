"""Participants from an Excel sheet: all rows or none.

The first sheet holds a header row (within the first 10 rows) and one participant per row.
Headings are matched without accents or case; the columns (any order, extra ones ignored):

  Họ và tên (or Tên)   required: the person, or the establishment's name
  Loại                 "cơ sở" (establishment) or "cán bộ" (officer); default: officer for a
                       training conference, establishment otherwise
  Đơn vị               unit or establishment
  Chức vụ              position
  Huyện                district (legacy or current name, in the event's province)
  Mã số thuế           links the row to a registered establishment
  Điện thoại           phone
  Gian hàng            "x", "có", "1" when the establishment had a supported booth

``parse_participants`` reads and checks every row and returns either rows ready to save or
row-level errors in Vietnamese ("Dòng 7: …"); ``import_participants`` saves them in one
transaction only when there is no error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.text import compact, normalize
from khuyencong.events.models import Event, EventKind, Participant, ParticipantKind
from khuyencong.places.models import AdminUnit
from khuyencong.trust.recording import record_created

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10

HEADINGS = {
    "name": ("ho va ten", "ho ten", "ten", "ten co so", "ten nguoi tham du"),
    "kind": ("loai", "doi tuong", "loai nguoi tham du"),
    "unit": ("don vi", "co quan", "don vi cong tac"),
    "position": ("chuc vu",),
    "district": ("huyen", "quan huyen", "huyen thi xa thanh pho", "dia ban"),
    "tax_code": ("ma so thue", "mst"),
    "phone": ("dien thoai", "so dien thoai", "sdt"),
    "booth": ("gian hang", "gian hang ho tro"),
}
KIND_WORDS = {
    ParticipantKind.ESTABLISHMENT: {"co so", "co so cnnt", "doanh nghiep", "htx", "hkd", "cs"},
    ParticipantKind.OFFICER: {"can bo", "cb", "cong chuc", "vien chuc"},
}
YES_WORDS = {"x", "co", "1", "yes", "v"}
NO_WORDS = {"", "khong", "0", "no"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message is user-facing)."""


@dataclass
class ParsedRows:
    rows: list[Participant] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(content: bytes | IO[bytes]) -> list[list[str]]:
    """The first sheet's rows as text (openpyxl, read-only)."""
    from openpyxl import load_workbook

    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)d rows: split it.") % {"max": MAX_ROWS}
                )
            rows.append([_cell(value) for value in row])
        return rows
    finally:
        workbook.close()


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, text in enumerate(row):
            heading = normalize(text)
            for key, names in HEADINGS.items():
                if heading in names and key not in columns:
                    columns[key] = position
        if "name" in columns:
            return index, columns
    raise ImportFileError(
        _("No header row with a “Họ và tên” column was found in the first %(rows)d rows.")
        % {"rows": HEADER_SEARCH_ROWS}
    )


def _district_index(event: Event) -> dict[str, Any]:
    """District names of the event's province (short and full, without accents) -> unit."""
    districts = AdminUnit.objects.filter(level="district", province_id=event.province_id)
    index: dict[str, Any] = {}
    for unit in districts:
        for name in (unit.name, unit.short_name):
            index.setdefault(compact(name), unit)
    return index


def _beneficiaries_by_tax_code(codes: set[str]) -> dict[str, Any]:
    if not codes:
        return {}
    found = Beneficiary.objects.active().filter(tax_code__in=codes)
    return {beneficiary.tax_code: beneficiary for beneficiary in found}


def parse_participants(event: Event, rows: list[list[str]]) -> ParsedRows:
    header_index, columns = _find_header(rows)
    districts = _district_index(event)
    default_kind = (
        ParticipantKind.OFFICER
        if event.kind == EventKind.TRAINING
        else ParticipantKind.ESTABLISHMENT
    )

    def value(row: list[str], key: str) -> str:
        position = columns.get(key)
        return row[position] if position is not None and position < len(row) else ""

    data_rows = [
        (header_index + offset + 2, row)  # spreadsheet row numbers start at 1
        for offset, row in enumerate(rows[header_index + 1 :])
        if any(cell for cell in row)
    ]
    if not data_rows:
        raise ImportFileError(_("The file has no participant rows under its header."))
    tax_codes = {value(row, "tax_code").replace(" ", "") for _n, row in data_rows} - {""}
    beneficiaries = _beneficiaries_by_tax_code(tax_codes)
    parsed = ParsedRows()
    for number, row in data_rows:
        problems = []
        name = value(row, "name")
        if not name:
            problems.append(_("the name is missing"))
        kind_text = normalize(value(row, "kind"))
        kind = default_kind
        if kind_text:
            matches = [k for k, words in KIND_WORDS.items() if kind_text in words]
            if matches:
                kind = matches[0]
            else:
                problems.append(
                    _("“%(value)s” is not a kind of participant (cơ sở or cán bộ)")
                    % {"value": value(row, "kind")}
                )
        district = None
        district_text = value(row, "district")
        if district_text:
            district = districts.get(compact(district_text))
            if district is None:
                problems.append(
                    _("no district “%(value)s” in %(province)s")
                    % {"value": district_text, "province": event.province.name}
                )
        beneficiary = None
        tax_code = value(row, "tax_code").replace(" ", "")
        if tax_code:
            beneficiary = beneficiaries.get(tax_code)
            if beneficiary is None:
                problems.append(
                    _("no registered establishment has the tax code %(code)s") % {"code": tax_code}
                )
        booth_text = normalize(value(row, "booth"))
        if booth_text not in YES_WORDS | NO_WORDS:
            problems.append(
                _("“%(value)s” in the booth column: write x (yes) or leave it empty")
                % {"value": value(row, "booth")}
            )
        if problems:
            parsed.errors.append(
                _("Row %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
            continue
        if district is None and beneficiary is not None:
            district = beneficiary.district
        parsed.rows.append(
            Participant(
                event=event,
                kind=kind,
                beneficiary=beneficiary,
                name=name[:200],
                unit=value(row, "unit")[:300],
                position=value(row, "position")[:120],
                district=district,
                phone=value(row, "phone")[:32],
                has_booth=booth_text in YES_WORDS,
            )
        )
    return parsed


def import_participants(event: Event, content: bytes | IO[bytes]) -> ParsedRows:
    """Parse, then save every row in one transaction if (and only if) no row has an error.
    Raises ``ImportFileError`` when the file itself cannot be used."""
    parsed = parse_participants(event, read_rows(content))
    if parsed.ok:
        with transaction.atomic():
            record_created(Participant.objects.bulk_create(parsed.rows), reason="import")
    return parsed
