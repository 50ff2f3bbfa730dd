"""The import pipeline: read -> normalise -> validate -> match -> commit.

Each stage is a plain function or method (no HTTP), tested on its own:

- ``reader.read_sheet``: the file's rows, by column key;
- ``Importer.normalise(raw)``: cell values to clean Python values (text, dates, money);
- ``Importer.validate(row, values, report)``: the rules of one row (required fields, codes,
  tax codes …) -> an item, or problems in the report;
- ``Importer.match(items, report)``: what needs the registry or the whole file: places from
  free-text addresses (ambiguous ones go to the user), duplicates against the registry and
  within the file, references to plans, projects, beneficiaries;
- ``Importer.commit(items)``: write, inside ONE transaction opened by ``run``.

``run(importer, sheet, commit=False)`` checks (the preview); ``commit=True`` writes only when
no row has an error, all or nothing. Importers whose rules live in the lifecycle services
(projects, progress) check by writing inside a transaction that is then rolled back, so the
preview reports exactly what the commit would refuse.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from khuyencong.accounts import roles
from khuyencong.beneficiaries import duplicates
from khuyencong.beneficiaries.forms import (
    BeneficiaryForm,
    check_tax_code_required,
    clean_tax_code_text,
)
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.beneficiaries.scoping import communes_in_scope
from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.core.text import clean_text, compact, normalize
from khuyencong.documents.xlsx_reader import (
    Column,
    NoHeaderRow,
    Sheet,
    as_date,
    as_text,
    read_sheet,
)
from khuyencong.spreadsheets.addresses import AddressMatcher, Candidate, Match
from khuyencong.trust.chain import CHAINED_FIELDS, EncodedJSON, encoded, values_of
from khuyencong.trust.models import AuditAction, AuditEntry, AuditSource, appending
from khuyencong.trust.recording import creation_changes

ERROR, WARNING, UNCHANGED = "error", "warning", "unchanged"
PROGRESS_EVERY = 2000


FUND_NAMES = {"kcqg": "national", "kcdp": "local", "khac": "other"}


@dataclass
class Report:
    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    ambiguities: list[dict[str, Any]] = field(default_factory=list)
    created: int = 0

    def add(self, row: int, column: str, message: str, level: str = ERROR, sheet: str = "") -> None:
        """``sheet``: the name of the sheet, for the rows of a file's further sheets."""
        problem = {"row": row, "column": column, "message": str(message), "level": level}
        if sheet:
            problem["sheet"] = sheet
        self.problems.append(problem)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["level"] == ERROR]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["level"] == WARNING]

    @property
    def unchanged(self) -> list[dict[str, Any]]:
        """Rows already imported (the same file again): skipped, said so, never an error."""
        return [p for p in self.problems if p["level"] == UNCHANGED]


class Rollback(Exception):
    """Raised to undo a trial write."""


@dataclass(frozen=True)
class FurtherSheet:
    """An optional further sheet of an import's file (found by its header row, as the main
    sheet is): its name in the template and its columns."""

    name: str
    columns: list[Column]


class Importer:
    """One kind of import. Subclasses set ``columns`` and ``permission``; ``further``: the
    optional further sheets the file may hold (read by ``read_file``, in ``self.sheets``)."""

    columns: list[Column] = []
    further: dict[str, FurtherSheet] = {}
    permission = ""

    def __init__(
        self,
        user: Any,
        *,
        choices: dict[str, int] | None = None,
        accept_possible_duplicates: bool = False,
    ):
        self.user = user
        self.choices = {str(k): int(v) for k, v in (choices or {}).items()}
        self.accept_possible_duplicates = accept_possible_duplicates
        self.header = {column.key: column.header for column in self.columns}
        self.sheets: dict[str, Sheet] = {}

    # stages ------------------------------------------------------------------------------
    def normalise(self, raw: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in raw.items()}

    def validate(self, row: int, values: dict[str, Any], report: Report) -> Any:
        raise NotImplementedError

    def match(self, items: list[Any], report: Report) -> None:
        """Checks over the whole file (default: none)."""

    def commit(self, items: list[Any]) -> int:
        raise NotImplementedError

    def check_by_writing(self, items: list[Any], report: Report) -> None:
        """Rules only the services know: write, collect refusals, roll back (default: none)."""

    # helpers -----------------------------------------------------------------------------
    def clean(self, field: Any, values: dict[str, Any], key: str, row: int, report: Report) -> Any:
        """The cell cleaned by ``field``, a field of the web form (its length, format and
        required rules); its errors go to the report under the column's heading."""
        raw = values.get(key)
        if (raw is None or raw == "") and not field.required:  # what the field makes of ""
            return field.empty_value
        try:
            return field.clean(clean_text(as_text(raw)) if raw is not None else "")
        except ValidationError as error:
            for message in error.messages:
                report.add(row, self.header[key], message)
            return None

    def text(self, values: dict[str, Any], key: str, row: int, report: Report, limit: int) -> str:
        raw = values.get(key)
        if raw is None:  # an empty cell, or a column the file does not have
            return ""
        value = clean_text(as_text(raw))
        if len(value) > limit:
            report.add(
                row,
                self.header[key],
                _("Too long: at most %(limit)s characters.") % {"limit": limit},
            )
        return value[:limit]

    def required(self, value: Any, key: str, row: int, report: Report) -> bool:
        if value in (None, ""):
            report.add(row, self.header[key], _("This column is required."))
            return False
        return True

    def date(self, values: dict[str, Any], key: str, row: int, report: Report):
        raw = values.get(key)
        if raw in (None, ""):
            return None
        try:
            return as_date(raw)
        except ValueError:
            report.add(row, self.header[key], _("Not a date: write it as dd/mm/yyyy."))
            return None

    def money(self, values: dict[str, Any], key: str, row: int, report: Report) -> int:
        raw = values.get(key)
        if raw in (None, ""):
            return 0
        if isinstance(raw, float):
            if not raw.is_integer():
                report.add(row, self.header[key], _("Write the amount in whole đồng."))
                return 0
            raw = int(raw)
        try:
            return parse_vnd(raw if isinstance(raw, int) else as_text(raw))
        except MoneyError as error:
            report.add(row, self.header[key], str(error))
            return 0


def read_file(importer: Importer, source: Any, *, max_rows: int | None = None) -> Sheet:
    """The main sheet of an import's file; its further sheets, when the file has them, go to
    ``importer.sheets``. Each is read by ``read_sheet`` (its size limits, in a capped child)."""
    sheet = read_sheet(source, importer.columns, max_rows=max_rows)
    for key, further in importer.further.items():
        try:
            importer.sheets[key] = read_sheet(source, further.columns, max_rows=max_rows)
        except NoHeaderRow:
            continue
    return sheet


def lookup_table(rows: Iterable[Any], *attributes: str) -> dict[str, Any]:
    """compact(code | name | short name …) -> row, for codes typed or chosen from a list."""
    table: dict[str, Any] = {}
    for row in rows:
        for attribute in attributes:
            value = getattr(row, attribute, "")
            if value:
                table.setdefault(compact(value), row)
    return table


def run(
    importer: Importer,
    sheet: Sheet,
    *,
    commit: bool = False,
    progress: Callable[[int, int], None] | None = None,
    finish: Callable[[Report], None] | None = None,
) -> Report:
    """Check every row; with ``commit``, write everything or nothing. ``finish(report)`` runs
    inside the commit's transaction, after the writes (to record the outcome with them, or
    to undo them by raising)."""
    with _cyclic_collector_paused():
        return _run(importer, sheet, commit=commit, progress=progress, finish=finish)


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the run (then on again if it was on).

    A 100,000-row file makes millions of container objects (row dicts, items, tuples for
    the database), none of them in a reference cycle: reference counting frees them, and
    the collector only scans them again and again as they pile up (its full collections
    over the whole heap: a noticeable share of the national import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    importer: Importer,
    sheet: Sheet,
    *,
    commit: bool,
    progress: Callable[[int, int], None] | None,
    finish: Callable[[Report], None] | None = None,
) -> Report:
    report = Report(rows=len(sheet) + sum(len(further) for further in importer.sheets.values()))
    decision = roles.check(importer.user, importer.permission)
    if not decision:
        report.add(0, "", decision.reason)
        return report
    items = []
    for count, (row, raw) in enumerate(sheet.records(), start=1):
        item = importer.validate(row, importer.normalise(raw), report)
        if item is not None:
            items.append(item)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, report.rows)
    importer.match(items, report)
    failed = {problem["row"] for problem in report.errors if not problem.get("sheet")}
    importer.check_by_writing([item for item in items if item.row not in failed], report)
    if progress:
        progress(report.rows, report.rows)
    if not commit or report.errors or _blocked(importer, report):
        return report
    with transaction.atomic():
        report.created = importer.commit(items)
        if finish is not None:
            finish(report)
    return report


def _blocked(importer: Importer, report: Report) -> bool:
    unresolved = [a for a in report.ambiguities if str(a["row"]) not in importer.choices]
    return bool(unresolved) or (bool(report.warnings) and not importer.accept_possible_duplicates)


# --------------------------------------------------------------------------- places


class PlaceMixin:
    """Resolves the address columns to a commune, asks the user when ambiguous."""

    address_key = "address"
    code_key = "commune_code"

    def places(self, items: list[Any], report: Report, *, attr: str = "commune") -> None:
        """Set ``item.<attr>`` to the unit the address names on the item's date
        (``place_day``); an old name no longer in force links its one successor, kept as
        written (``item.written_place``). Ambiguous, not found on that date and outside the
        user's area each have their own message."""
        matcher = AddressMatcher()
        scope = (
            None
            if roles.is_national(self.user)
            else set(communes_in_scope(self.user).values_list("pk", flat=True))
        )
        header = self.header[self.address_key]
        for item in items:
            day = place_day(item)
            match = matcher.match(item.address_text, item.commune_code, on=day)
            text = item.address_text or item.commune_code
            chosen = self.choices.get(str(item.row))
            unit: Candidate | None = match.unit
            if chosen is not None:
                unit = next((c for c in match.candidates if c.id == chosen), None)
                if unit is None:
                    unit = matcher.index.by_id.get(chosen)
            if unit is None and match.ambiguous:
                report.ambiguities.append(
                    {
                        "row": item.row,
                        "column": header,
                        "text": text,
                        "message": ambiguous_message(item.row, text, day, match),
                        "candidates": [{"id": c.id, "label": c.label} for c in match.candidates],
                    }
                )
                continue
            if unit is None and match.not_at_date and day is not None:
                report.add(
                    item.row,
                    header,
                    _(
                        "Row %(row)s: “%(text)s” names no unit in force on %(date)s "
                        "(%(found)s). Write the unit of that date, or load the units of "
                        "that time (unit history)."
                    )
                    % {
                        "row": item.row,
                        "text": text,
                        "date": date_format(day, "SHORT_DATE_FORMAT"),
                        "found": "; ".join(_with_validity(c) for c in match.elsewhere[:3]),
                    },
                )
                continue
            if unit is None:
                report.add(
                    item.row,
                    header,
                    _(
                        "Row %(row)s: no commune found in “%(text)s”: write commune, district "
                        "and province."
                    )
                    % {"row": item.row, "text": text},
                )
                continue
            if scope is not None and unit.id not in scope:
                report.add(
                    item.row,
                    header,
                    _("Row %(row)s: %(place)s (“%(text)s”) is outside your area of responsibility.")
                    % {"row": item.row, "place": unit.label, "text": text},
                )
                continue
            setattr(item, attr, unit)
            item.street = match.street
            former = match.former
            item.written_place = (former.short_name, former.unit_type) if former else None
            if former is not None:
                report.add(
                    item.row,
                    header,
                    _(
                        "Row %(row)s: “%(text)s” is a former name (%(period)s): kept as "
                        "written, now part of %(place)s."
                    )
                    % {
                        "row": item.row,
                        "text": text,
                        "period": _with_validity(former),
                        "place": unit.label,
                    },
                    WARNING,
                )


def place_day(item: Any) -> datetime.date | None:
    """The date an item's address is read on: its own ``place_date``, else the date it
    was registered; None (any date) for records without one."""
    return getattr(item, "place_date", None) or getattr(item, "registered_on", None)


def _with_validity(candidate: Candidate) -> str:
    start, end = candidate.valid_from, candidate.valid_to
    if start and end:
        period = _("in force from %(start)s to %(end)s")
    elif end:
        period = _("in force until %(end)s")
    elif start:
        period = _("in force from %(start)s")
    else:
        return candidate.label
    return f"{candidate.label}, " + period % {
        "start": date_format(start, "SHORT_DATE_FORMAT") if start else "",
        "end": date_format(end, "SHORT_DATE_FORMAT") if end else "",
    }


def ambiguous_message(row: int, text: str, day: datetime.date | None, match: Match) -> str:
    if match.former is not None:
        return _(
            "Row %(row)s: “%(text)s” is a former name, divided among several units: choose "
            "the one the record belongs to (the name is kept as written)."
        ) % {"row": row, "text": text}
    return _("Row %(row)s: “%(text)s” matches several units: choose one.") % {
        "row": row,
        "text": text,
    }


# --------------------------------------------------------------------------- beneficiaries

BENEFICIARY_COLUMNS = [
    Column(
        "name",
        "Tên cơ sở",
        True,
        "Tên đầy đủ của cơ sở, hợp tác xã, doanh nghiệp, hộ kinh doanh.",
        ("Tên đơn vị", "Tên"),
        36,
    ),
    Column(
        "kind",
        "Loại hình",
        True,
        "Chọn trong danh sách (DNNVV, HTX, THT, HKD …).",
        ("Loại hình cơ sở",),
        24,
    ),
    Column(
        "tax_code",
        "Mã số thuế",
        False,
        "10 chữ số, hoặc 13 cho chi nhánh (0123456789-001). Hộ kinh doanh có thể bỏ trống.",
        ("MST",),
        16,
    ),
    Column("representative", "Người đại diện", False, "", (), 22),
    Column(
        "address",
        "Địa chỉ",
        True,
        "Thôn/số nhà, xã/phường, huyện (địa chỉ cũ), tỉnh — trước hoặc sau 1/7/2025.",
        ("Địa chỉ trụ sở",),
        48,
    ),
    Column(
        "commune_code",
        "Mã xã",
        False,
        "Mã đơn vị hành chính cấp xã (nếu biết): được ưu tiên hơn địa chỉ.",
        ("Mã xã/phường",),
        10,
    ),
    Column(
        "industry",
        "Ngành nghề",
        False,
        "Chọn trong danh sách ngành nghề được hưởng chính sách.",
        (),
        30,
    ),
    Column("phone", "Điện thoại", False, "", (), 14),
    Column("email", "Email", False, "", ("Thư điện tử",), 22),
    Column("notes", "Ghi chú", False, "", (), 24),
]


@dataclass(slots=True)
class BeneficiaryItem:
    row: int
    name: str
    name_key: str
    kind: Any
    tax_code: str
    representative: str
    address_text: str
    commune_code: str
    industry: Any
    phone: str
    email: str
    notes: str
    commune: Candidate | None = None
    street: str = ""
    # (name, unit type) as written, for an old name whose successor is linked (PlaceMixin)
    written_place: tuple[str, str] | None = None


class BeneficiaryImporter(PlaceMixin, Importer):
    columns = BENEFICIARY_COLUMNS
    permission = "imports.beneficiaries"

    def __init__(self, user: Any, **kwargs: Any):
        super().__init__(user, **kwargs)
        # The web form's fields, built once: each row is cleaned by the same fields (lengths,
        # e-mail, the selectable kinds and industries) and the same tax code rules as the
        # form. The checks that need the registry (tax codes taken, possible duplicates,
        # the commune from the address) run once over the whole file in ``match``.
        self.fields = BeneficiaryForm(user=user).fields
        self.kinds = lookup_table(self.fields["kind"].queryset, "code", "name", "short_name")
        self.industries = lookup_table(self.fields["industry"].queryset, "code", "name")
        self.kind_of_text: dict[str, Any] = {}

    def validate(self, row: int, values: dict[str, Any], report: Report) -> BeneficiaryItem | None:
        before = len(report.errors)
        fields = self.fields
        name = self.clean(fields["name"], values, "name", row, report) or ""
        kind_text = as_text(values.get("kind"))
        if kind_text not in self.kind_of_text:  # a file repeats a few kinds
            self.kind_of_text[kind_text] = self.kinds.get(compact(kind_text))
        kind = self.kind_of_text[kind_text]
        if not kind_text:
            report.add(row, self.header["kind"], fields["kind"].error_messages["required"])
        elif kind is None:
            report.add(
                row, self.header["kind"], _("Unknown kind “%(value)s”.") % {"value": kind_text}
            )
        code = self.clean(fields["tax_code"], values, "tax_code", row, report)
        if code is not None:
            try:
                code = clean_tax_code_text(code)
                check_tax_code_required(kind, code)
            except ValidationError as error:
                for message in error.messages:
                    report.add(row, self.header["tax_code"], message)
        industry_text = as_text(values.get("industry"))
        industry = self.industries.get(compact(industry_text)) if industry_text else None
        if industry_text and industry is None:
            report.add(
                row,
                self.header["industry"],
                _("Unknown industry “%(value)s”.") % {"value": industry_text},
            )
        address = self.text(values, "address", row, report, 500)
        commune_code = as_text(values.get("commune_code"))
        if not address and not commune_code:
            report.add(row, self.header["address"], _("This column is required."))
        clean = self.clean
        item = BeneficiaryItem(
            row=row,
            name=name,
            name_key=normalize(name),
            kind=kind,
            tax_code=code or "",
            representative=clean(fields["representative"], values, "representative", row, report),
            address_text=address,
            commune_code=commune_code,
            industry=industry,
            phone=clean(fields["phone"], values, "phone", row, report),
            email=clean(fields["email"], values, "email", row, report),
            notes=clean(fields["notes"], values, "notes", row, report),
        )
        return item if len(report.errors) == before else None

    def match(self, items: list[BeneficiaryItem], report: Report) -> None:
        self.places(items, report)
        self.duplicates([item for item in items if item.commune is not None], report)

    def duplicates(self, items: list[BeneficiaryItem], report: Report) -> None:
        """Tax codes taken (error) or archived (warning); same name in the same commune
        (warning: import only if the user confirms); the same within the file."""
        tax_header, name_header = self.header["tax_code"], self.header["name"]
        codes = sorted({item.tax_code for item in items if item.tax_code})
        # What a message may say about the record holding a code: duplicates.may_identify.
        may_identify = duplicates.may_identify
        active: dict[str, Beneficiary] = {}
        archived: dict[str, Beneficiary] = {}
        for start in range(0, len(codes), 500):
            rows = Beneficiary.objects.filter(tax_code__in=codes[start : start + 500])
            for row in rows.select_related("commune").only(*HOLDER_FIELDS, "commune__name"):
                (archived if row.archived_at else active)[row.tax_code] = row
        communes = sorted({item.commune.id for item in items})
        existing: dict[tuple[int, str], tuple[Any, ...]] = {}
        for start in range(0, len(communes), 500):
            rows = Beneficiary.objects.active().filter(commune_id__in=communes[start : start + 500])
            for values in rows.values_list("commune_id", "name", "pk", "province", "district"):
                existing.setdefault((values[0], normalize(values[1])), values)
        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple[int, str], int] = {}
        for item in items:
            if item.tax_code:
                if item.tax_code in active:
                    owner = active[item.tax_code]
                    report.add(
                        item.row,
                        tax_header,
                        duplicates.tax_code_taken(self.user, item.tax_code, owner),
                    )
                elif item.tax_code in seen_codes:
                    report.add(
                        item.row,
                        tax_header,
                        _("Tax code %(code)s is also on row %(other)s of this file.")
                        % {"code": item.tax_code, "other": seen_codes[item.tax_code]},
                    )
                elif item.tax_code in archived:
                    holder = archived[item.tax_code]
                    report.add(
                        item.row,
                        tax_header,
                        _("Possible duplicate: the archived record “%(name)s” had this tax code.")
                        % {"name": holder.name}
                        if may_identify(self.user, holder)
                        else _(
                            "Possible duplicate: an archived record outside your area of "
                            "responsibility had this tax code."
                        ),
                        WARNING,
                    )
                seen_codes.setdefault(item.tax_code, item.row)
            key = (item.commune.id, item.name_key)
            if key in existing:
                _commune, name, pk, province_id, district_id = existing[key]
                holder = Beneficiary(pk=pk, province_id=province_id, district_id=district_id)
                report.add(
                    item.row,
                    name_header,
                    _("Possible duplicate: “%(name)s” is already registered in %(place)s.")
                    % {"name": name, "place": item.commune.label.split(", ")[0]}
                    if may_identify(self.user, holder)
                    else _(
                        "Possible duplicate: an establishment of the same name is already "
                        "registered in %(place)s."
                    )
                    % {"place": item.commune.label.split(", ")[0]},
                    WARNING,
                )
            elif key in seen_names:
                report.add(
                    item.row,
                    name_header,
                    _("Possible duplicate of row %(other)s (same name, same commune).")
                    % {"other": seen_names[key]},
                    WARNING,
                )
            seen_names.setdefault(key, item.row)

    def commit(self, items: list[BeneficiaryItem]) -> int:
        return bulk_insert_beneficiaries(items, self.user)


# What a tax code's holder is read with: its scope (duplicates.may_identify) and its name.
HOLDER_FIELDS = ("pk", "tax_code", "name", "archived_at", "province", "district", "commune")


def _search_text(item: BeneficiaryItem) -> str:
    """``search_text_for(name, tax_code)`` reusing the normalised name (digits and dashes
    normalise to themselves)."""
    code = item.tax_code
    parts = [item.name_key, code, code.replace("-", "") if "-" in code else ""]
    return " ".join(part for part in parts if part)[:600]


BENEFICIARY_FIELDS = [
    "created_at", "updated_at", "version", "archived_at", "kind_id", "name", "tax_code",
    "representative", "address", "commune_id", "district_id", "province_id", "industry_id",
    "phone", "email", "notes", "search_text", "place_name", "place_type",
]  # fmt: skip


INSERT_CHUNK = 5000
# the columns of an imported row's audit entry that differ from row to row, by attname
CHAINED_PER_ROW = (
    "object_id", "object_repr", "changes", "province_id", "district_id", "beneficiary_id",
    "search_text",
)  # fmt: skip


def _audit_imported(
    cursor: Any,
    rows: list[tuple],
    name_keys: list[str],
    ids: list[int],
    user: Any,
    now: Any,
) -> None:
    """One audit-trail entry per imported beneficiary (what trust.recording writes for a
    record created one by one), inserted in bulk. ``name_keys``: the names normalised.

    The entries are rows of values, not model instances: the columns every entry shares are
    prepared once as the ORM prepares them for saving (from one ``AuditEntry``), the others
    per row (``changes`` as its canonical JSON, encoded once for the row and the hash chain);
    building an instance and preparing each field of it per row was slow. The same values:
    tests/imports/test_pipeline.py.
    """
    from django.contrib.contenttypes.models import ContentType

    connection = cursor.db
    user_id = getattr(user, "pk", None)
    label = user.get_username() if user_id else ""
    shared = AuditEntry(
        at=now,
        user_id=user_id,
        user_label=label,
        source=AuditSource.SYSTEM,
        content_type=ContentType.objects.get_for_model(Beneficiary),
        action=AuditAction.CREATE,
        reason="import",
    )
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    template = [f.get_db_prep_save(f.pre_save(shared, True), connection) for f in fields]
    columns = [field.column for field in fields]
    slot = {field.name: index for index, field in enumerate(fields)}
    per_row = [
        slot[name]
        for name in (
            "object_id", "object_repr", "changes", "province", "district", "beneficiary",
            "search_text",
        )
    ]  # fmt: skip
    # each entry's content for the hash chain (trust.chain): the shared fields encoded once
    parts = [encoded(name, value) for name, value in values_of(shared).items()]
    part_at = [CHAINED_FIELDS.index(name) for name in CHAINED_PER_ROW]
    changes_part = CHAINED_FIELDS.index("changes")
    seal_at = (slot["prev_hash"], slot["hash"])
    changes_of = creation_changes(Beneficiary, BENEFICIARY_FIELDS)
    # JSONField.get_db_prep_save of the changes' text, without its checks for expressions
    adapt_json = connection.ops.adapt_json_value
    position = {name: index for index, name in enumerate(BENEFICIARY_FIELDS)}
    name_at, province_at, district_at = (
        position["name"], position["province_id"], position["district_id"]
    )  # fmt: skip
    label_key = normalize(label)
    entries: list[list[Any]] = []
    with appending(connection.alias) as seal:  # sealed in insertion (id) order
        for row, name_key, pk in zip(rows, name_keys, ids, strict=True):
            if len(entries) == INSERT_CHUNK:  # a chunk at a time: memory stays flat
                _insert_rows(cursor, AuditEntry._meta.db_table, columns, entries)
                entries = []
            name = row[name_at][:300]
            changes = changes_of(row)
            values = (
                str(pk),
                name,
                changes,
                row[province_at],
                row[district_at],
                pk,
                # normalize(f"{name} {label}"), from the parts already normalised
                " ".join(filter(None, (name_key, label_key)))[:600],
            )
            for at, field, value in zip(part_at, CHAINED_PER_ROW, values, strict=True):
                parts[at] = encoded(field, value)
            entry = template.copy()
            for index, value in zip(per_row, values, strict=True):
                entry[index] = value
            # the changes as stored: their canonical JSON, encoded once for both
            entry[slot["changes"]] = adapt_json(parts[changes_part], EncodedJSON)
            entry[seal_at[0]], entry[seal_at[1]] = seal("\n".join(parts))
            entries.append(entry)
        _insert_rows(cursor, AuditEntry._meta.db_table, columns, entries)


def _insert_rows(cursor: Any, table: str, columns: list[str], rows: list[Any]) -> None:
    """``INSERT INTO table (columns)`` of ``rows`` (values ready for the database).

    SQLite: ``executemany``, ``INSERT_CHUNK`` rows at a time. PostgreSQL: ``COPY … FROM
    STDIN`` (psycopg adapts each value as for a query parameter): ``executemany`` runs one
    INSERT per row on the server, too slow for the national import. Both fire
    the tables' triggers and check their constraints.
    """
    quote = cursor.db.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if cursor.db.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
    for start in range(0, len(rows), INSERT_CHUNK):
        cursor.executemany(sql, rows[start : start + INSERT_CHUNK])


def bulk_insert_beneficiaries(items: list[BeneficiaryItem], user: Any) -> int:
    """Insert the rows and their audit entries ("created" by ``user``) in bulk.

    The ORM's bulk_create spends most of its time preparing each field of each object; the
    values here are already clean, so they go straight to the database (both SQLite and
    PostgreSQL), in the caller's transaction. The new ids are read back by the import's
    timestamp, in insertion order, for the audit entries. On SQLite the
    search index is filled once after the insert (``core.search``), with what its insert
    trigger would have put in it.
    """
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows = []
    for item in items:
        commune = item.commune
        district_id = commune.parent_id if commune.parent_id != commune.province_id else None
        rows.append(
            (
                stamp, stamp, 1, None,
                item.kind.pk, item.name, item.tax_code, item.representative,
                (item.street or "")[:255], commune.id, district_id, commune.province_id,
                item.industry.pk if item.industry is not None else None,
                item.phone, item.email, item.notes, _search_text(item),
                *(item.written_place or (commune.short_name, commune.unit_type)),
            )
        )  # fmt: skip
    quote = connection.ops.quote_name
    table = quote(Beneficiary._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max({quote('id')}) FROM {table}")
        (before,) = cursor.fetchone()
        _insert_rows(cursor, Beneficiary._meta.db_table, BENEFICIARY_FIELDS, rows)
        cursor.execute(
            f"SELECT {quote('id')} FROM {table} WHERE {quote('id')} > %s "
            f"AND {quote('created_at')} = %s ORDER BY {quote('id')}",
            [before or 0, stamp],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) != len(rows):
            raise RuntimeError("import: inserted rows and read-back ids differ")
        names = [item.name_key for item in items]
        _audit_imported(cursor, rows, names, ids, user, now)
    return len(rows)
