"""Participants from an Excel sheet: all rows or none.

The first sheet with a header row (within its first 10 rows) holds one participant per row.
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

from khuyencong.core.text import compact, normalize
from khuyencong.documents.xlsx_reader import Column, Sheet, SheetError, as_text, read_sheet
from khuyencong.events.forms import ParticipantForm, linkable_beneficiaries
from khuyencong.events.models import Event, EventKind, Participant, ParticipantKind
from khuyencong.places.models import AdminUnit
from khuyencong.trust.recording import record_created

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10

# The columns, matched by heading without accents, case or spaces (documents.xlsx_reader).
COLUMNS = [
    Column("name", "Họ và tên", True, aliases=("Họ tên", "Tên", "Tên cơ sở", "Tên người tham dự")),
    Column("kind", "Loại", aliases=("Đối tượng", "Loại người tham dự")),
    Column("unit", "Đơn vị", aliases=("Cơ quan", "Đơn vị công tác")),
    Column("position", "Chức vụ"),
    Column("district", "Huyện", aliases=("Quận/huyện", "Huyện/thị xã/thành phố", "Địa bàn")),
    Column("tax_code", "Mã số thuế", aliases=("MST",)),
    Column("phone", "Điện thoại", aliases=("Số điện thoại", "SĐT")),
    Column("booth", "Gian hàng", aliases=("Gian hàng hỗ trợ",)),
]
HEADER_OF = {column.key: column.header for column in COLUMNS} | {"beneficiary": "Mã số thuế"}
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


def read_rows(content: bytes | IO[bytes]) -> Sheet:
    """The sheet of participants, read by the project's one spreadsheet reader (a sheet
    reaching beyond ``MAX_ROWS`` rows is refused before it is read)."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        return read_sheet(stream, COLUMNS, max_rows=MAX_ROWS, header_search_rows=HEADER_SEARCH_ROWS)
    except SheetError as error:
        raise ImportFileError(str(error)) from None


def _district_index(event: Event) -> dict[str, Any]:
    """District names of the event's province (short and full, without accents) -> unit."""
    districts = AdminUnit.objects.filter(level="district", province_id=event.province_id)
    index: dict[str, Any] = {}
    for unit in districts:
        for name in (unit.name, unit.short_name):
            index.setdefault(compact(name), unit)
    return index


def _beneficiaries_by_tax_code(codes: set[str], user: Any) -> dict[str, Any]:
    if not codes:
        return {}
    found = linkable_beneficiaries(user).filter(tax_code__in=codes)
    return {beneficiary.tax_code: beneficiary for beneficiary in found}


def parse_participants(event: Event, sheet: Sheet, *, user: Any = None) -> ParsedRows:
    """The rows ready to save, or the errors of every bad row. ``user``: whose area the
    linked establishments must be in (as on the participant form)."""
    districts = _district_index(event)
    default_kind = (
        ParticipantKind.OFFICER
        if event.kind == EventKind.TRAINING
        else ParticipantKind.ESTABLISHMENT
    )
    data_rows = [
        (number, {key: as_text(cell) for key, cell in values.items()})
        for number, values in sheet.records()
    ]
    if not data_rows:
        raise ImportFileError(_("The file has no participant rows under its header."))

    def value(row: dict[str, str], key: str) -> str:
        return row.get(key, "")

    tax_codes = {value(row, "tax_code").replace(" ", "") for _n, row in data_rows} - {""}
    beneficiaries = _beneficiaries_by_tax_code(tax_codes, user)
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
            if beneficiary is None and user is None:
                problems.append(
                    _("no registered establishment has the tax code %(code)s") % {"code": tax_code}
                )
            elif beneficiary is None:
                problems.append(
                    _("no establishment in your area has the tax code %(code)s")
                    % {"code": tax_code}
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
        # The rules of the participant form (lengths, choices, the beneficiaries in the
        # user's area, the event's districts) apply to each row as to a participant added
        # on the page.
        form = ParticipantForm(
            data={
                "kind": kind,
                "beneficiary": beneficiary.pk if beneficiary is not None else "",
                "name": name,
                "unit": value(row, "unit"),
                "position": value(row, "position"),
                "district": district.pk if district is not None else "",
                "phone": value(row, "phone"),
                "has_booth": "on" if booth_text in YES_WORDS else "",
            },
            event=event,
            user=user,
        )
        form.instance.event = event
        if not form.is_valid():
            for key, messages in form.errors.items():
                for message in messages:
                    parsed.errors.append(
                        _("Row %(row)d, column %(column)s: %(problem)s")
                        % {"row": number, "column": HEADER_OF.get(key, key), "problem": message}
                    )
            continue
        parsed.rows.append(form.instance)
    return parsed


def import_participants(
    event: Event, content: bytes | IO[bytes], *, user: Any = None
) -> ParsedRows:
    """Parse, then save every row in one transaction if (and only if) no row has an error.
    Raises ``ImportFileError`` when the file itself cannot be used."""
    parsed = parse_participants(event, read_rows(content), user=user)
    if parsed.ok:
        with transaction.atomic():
            record_created(Participant.objects.bulk_create(parsed.rows), reason="import")
    return parsed
