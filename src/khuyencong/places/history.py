"""Load dated historical units and their changes from a CSV (``manage.py load_unit_history``,
or the upload in the admin). The package snapshot knows the units of 30 June 2025 and of
1 July 2025; the communes and districts merged before (2019–2020, 2023–2025) come from here.

One row per unit, UTF-8, comma-separated, with a header (docs/architecture.md, "Historical
units")::

    code,name,type,parent_code,valid_from,valid_to,successor_codes
    99101,Nông Hạ,Xã,991,,31/01/2020,99105

- ``code``: the official code (up to 8 characters); ``name``: the short name ("Nông Hạ");
  ``type``: "Xã", "Phường", "Thị trấn", "Huyện", "Tỉnh"…;
- ``parent_code``: empty for a province; a district's province; a commune's district
  (or province, for the two-level units from 1 July 2025). The level follows from it.
- ``valid_from``/``valid_to``: dd/mm/yyyy or yyyy-mm-dd, empty when unknown. A unit ending
  by 30/6/2025 belongs to the era before 1 July 2025, any other to the era after.
- ``successor_codes``: the units it became (separated by ";"), the first one the main one;
  each must exist, in the file or already loaded, on the day after ``valid_to``.

Every row is checked first; any error names its row and nothing is written. Loading again
changes nothing; a changed name or date is updated; nothing is ever deleted.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from khuyencong.core import choices
from khuyencong.core.models import covers
from khuyencong.core.text import compact, normalize
from khuyencong.places.models import (
    CURRENT_START,
    LEGACY_END,
    AdminUnit,
    AdminUnitSuccession,
    Era,
    Level,
)

COLUMNS = ["code", "name", "type", "parent_code", "valid_from", "valid_to", "successor_codes"]
CHILD_LEVEL = {None: Level.PROVINCE, Level.PROVINCE: Level.DISTRICT, Level.DISTRICT: Level.COMMUNE}
MAX_ROWS = 20_000


class UnitHistoryError(ValueError):
    """The file cannot be loaded: ``messages`` says why, row by row (in Vietnamese)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass
class HistoryStats:
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created, self.updated, self.successions_created, self.successions_updated))


@dataclass
class _Row:
    number: int
    code: str
    name: str
    unit_type: str
    parent_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successors: list[str] = field(default_factory=list)
    level: str = ""
    era: str = ""
    parent: _Row | AdminUnit | None = None


def _era(valid_from: datetime.date | None, valid_to: datetime.date | None) -> str:
    """The era before 1 July 2025 for a unit starting or ending before it, else the era
    after; empty when no date says (the parent's era then)."""
    if (valid_to is not None and valid_to <= LEGACY_END) or (
        valid_from is not None and valid_from < CURRENT_START
    ):
        return Era.LEGACY
    if valid_from is not None or valid_to is not None:
        return Era.CURRENT
    return ""


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(text: str) -> list[_Row]:
    """Parse and check every row of the file; raise ``UnitHistoryError`` listing the errors."""
    errors: list[str] = []
    # lines starting with "#" are comments; row numbers are the file's lines
    lines = text.lstrip("\ufeff").splitlines()
    records = [
        (number, values)
        for number, values in enumerate(csv.reader(lines), start=1)
        if values and not values[0].startswith("#") and any(v.strip() for v in values)
    ]
    header = [name.strip() for name in records[0][1]] if records else []
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise UnitHistoryError(
            [_("The file lacks the column(s): %(names)s.") % {"names": ", ".join(missing)}]
        )
    rows: list[_Row] = []
    if len(records) > MAX_ROWS:
        raise UnitHistoryError([_("The file has more than %(max)s rows.") % {"max": MAX_ROWS}])
    for number, cells in records[1:]:
        raw = dict(zip(header, cells, strict=False))
        raw.update({name: "" for name in COLUMNS if name not in raw})
        values = {key: (value or "").strip() for key, value in raw.items()}
        row_errors: list[str] = []
        code, name, unit_type = values["code"], values["name"], values["type"]
        if not code or len(code) > 8 or not code.isalnum():
            row_errors.append(_("the code must be 1 to 8 letters or digits"))
        if not name or len(name) > 120:
            row_errors.append(_("the name is required (at most 120 characters)"))
        if not unit_type or len(unit_type) > 32:
            row_errors.append(_("the unit type is required (at most 32 characters)"))
        dates: list[datetime.date | None] = []
        for column in ("valid_from", "valid_to"):
            try:
                dates.append(_date(values[column]))
            except ValueError:
                dates.append(None)
                row_errors.append(
                    _("%(column)s “%(value)s” is not a date (dd/mm/yyyy)")
                    % {"column": column, "value": values[column]}
                )
        valid_from, valid_to = dates
        if valid_from and valid_to and valid_from > valid_to:
            row_errors.append(_("valid_from is after valid_to"))
        elif (valid_from and valid_from < CURRENT_START) and (valid_to and valid_to > LEGACY_END):
            row_errors.append(_("no unit lasted past 30/06/2025 unchanged: end it then"))
        if valid_from and valid_from < CURRENT_START and valid_to is None:
            valid_to = LEGACY_END  # every unit of before 1 July 2025 ended then
        successors = [part.strip() for part in values["successor_codes"].split(";") if part.strip()]
        if successors and valid_to is None:
            row_errors.append(_("a unit with successors needs its valid_to date"))
        if row_errors:
            errors.append(
                _("Row %(row)s (%(code)s): %(errors)s.")
                % {"row": number, "code": code or "?", "errors": "; ".join(row_errors)}
            )
            continue
        rows.append(
            _Row(
                number,
                code,
                name,
                unit_type,
                values["parent_code"],
                valid_from,
                valid_to,
                successors,
            )
        )
    if errors:
        raise UnitHistoryError(errors)
    _resolve(rows)
    return rows


def _covers_period(unit: _Row | AdminUnit, row: _Row) -> bool:
    """Whether ``unit`` exists over some of ``row``'s period (a parent, loosely)."""
    start, end = unit.valid_from, unit.valid_to
    return (start is None or row.valid_to is None or start <= row.valid_to) and (
        end is None or row.valid_from is None or row.valid_from <= end
    )


def _resolve(rows: list[_Row]) -> None:
    """Give each row its level and era from its parent (in the file or already loaded)."""
    errors: list[str] = []
    by_code: dict[str, list[_Row]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    parent_codes = {row.parent_code for row in rows if row.parent_code}
    successor_codes = {code for row in rows for code in row.successors}
    loaded: dict[str, list[AdminUnit]] = {}
    for unit in AdminUnit.objects.filter(code__in=parent_codes | successor_codes):
        loaded.setdefault(unit.code, []).append(unit)
    done: set[int] = set()

    def level_of(row: _Row, path: tuple[int, ...] = ()) -> str:
        if row.number in done or row.level:
            return row.level
        if row.number in path:
            raise ValueError(_("its parent codes loop back to it"))
        row.era = _era(row.valid_from, row.valid_to)
        if not row.parent_code:
            if not row.era:
                raise ValueError(_("a province needs its valid_from or valid_to date"))
            row.level = Level.PROVINCE
            return row.level
        in_file = [p for p in by_code.get(row.parent_code, []) if p is not row]
        for parent in in_file:
            level_of(parent, (*path, row.number))
        parents: list[_Row | AdminUnit] = [
            p for p in [*in_file, *loaded.get(row.parent_code, [])] if p.level != Level.COMMUNE
        ]
        fitting = [p for p in parents if _covers_period(p, row)]
        if not row.era and fitting:
            row.era = fitting[0].era
        if not fitting:
            raise ValueError(
                _("the parent %(code)s is neither in the file nor loaded for that period")
                % {"code": row.parent_code}
            )
        row.parent = fitting[0]
        parent_level = fitting[0].level
        row.level = CHILD_LEVEL[parent_level] if parent_level != Level.COMMUNE else ""
        if row.era == Era.CURRENT and parent_level == Level.PROVINCE:
            row.level = Level.COMMUNE  # two levels from 1 July 2025
        return row.level

    for row in rows:
        try:
            level_of(row)
        except ValueError as error:
            errors.append(
                _("Row %(row)s (%(code)s): %(errors)s.")
                % {"row": row.number, "code": row.code, "errors": error}
            )
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        if not row.level:
            continue
        ident = (row.era, row.level, row.code)
        if ident in seen:
            errors.append(
                _("Row %(row)s (%(code)s): the same unit is on row %(other)s.")
                % {"row": row.number, "code": row.code, "other": seen[ident]}
            )
        seen.setdefault(ident, row.number)
        if row.valid_to is None:
            continue
        day = row.valid_to + datetime.timedelta(days=1)
        for code in row.successors:
            candidates: list[_Row | AdminUnit] = [*by_code.get(code, []), *loaded.get(code, [])]
            if not any(_unit_valid(c, day) for c in candidates):
                errors.append(
                    _(
                        "Row %(row)s (%(code)s): the successor %(successor)s is not in force "
                        "on %(date)s."
                    )
                    % {
                        "row": row.number,
                        "code": row.code,
                        "successor": code,
                        "date": date_format(day, "SHORT_DATE_FORMAT"),
                    }
                )
    if errors:
        raise UnitHistoryError(errors)


def _unit_valid(unit: _Row | AdminUnit, day: datetime.date) -> bool:
    return covers(unit.valid_from, unit.valid_to, day)


def _row_valid(row: _Row, day: datetime.date) -> bool:
    return (row.valid_from is None or row.valid_from <= day) and (
        row.valid_to is None or day <= row.valid_to
    )


def _full_name(unit_type: str, name: str) -> str:
    return name if normalize(name).startswith(normalize(unit_type) + " ") else f"{unit_type} {name}"


def load_unit_history(text: str) -> HistoryStats:
    """Check the whole file, then write its units and successions in one transaction."""
    rows = read_rows(text)
    stats = HistoryStats()
    with transaction.atomic():
        saved: dict[int, AdminUnit] = {}
        # parents before children: provinces, districts, communes
        for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
            for row in rows:
                if row.level == level:
                    saved[row.number] = _save_unit(row, saved, stats)
        for row in rows:
            _save_successions(row, rows, saved, stats)
        if stats.changed:
            choices.invalidate()  # bulk writes send no signal: the kept choice lists must hear
    return stats


def _save_unit(row: _Row, saved: dict[int, AdminUnit], stats: HistoryStats) -> AdminUnit:
    parent = saved[row.parent.number] if isinstance(row.parent, _Row) else row.parent
    full = _full_name(row.unit_type, row.name)
    ancestors = []
    walk = parent
    while walk is not None:
        ancestors.append(walk.short_name)
        walk = walk.parent
    values = {
        "unit_type": row.unit_type,
        "name": full,
        "short_name": row.name,
        "parent": parent,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "key": compact(row.name)[:80],
        "short_key": compact(row.name),
        "search_text": normalize(" ".join([full, row.name, *ancestors, row.code]))[:255],
    }
    unit = AdminUnit.objects.filter(era=row.era, level=row.level, code=row.code).first()
    if unit is None:
        unit = AdminUnit(era=row.era, level=row.level, code=row.code, **values)
        unit.province = parent.province if parent is not None else None
        unit.save()
        if parent is None:
            unit.province = unit
            unit.save(update_fields=["province"])
        stats.created += 1
        return unit
    if unit.key != compact(unit.short_name):
        # a unit of the package snapshot: the package owns its names and its end; the file
        # may say when it began (the loader leaves a start date alone)
        values = {"valid_from": row.valid_from}
    changed = [name for name, value in values.items() if getattr(unit, name) != value]
    if changed:
        for name in changed:
            setattr(unit, name, values[name])
        unit.save(update_fields=changed)
        stats.updated += 1
    return unit


def _save_successions(
    row: _Row, rows: list[_Row], saved: dict[int, AdminUnit], stats: HistoryStats
) -> None:
    if not row.successors or row.valid_to is None:
        return
    day = row.valid_to + datetime.timedelta(days=1)
    predecessor = saved[row.number]
    for position, code in enumerate(row.successors):
        in_file = [saved[r.number] for r in rows if r.code == code and _row_valid(r, day)]
        successor = (in_file or list(AdminUnit.objects.filter(code=code).valid_on(day)))[0]
        succession, created = AdminUnitSuccession.objects.get_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={"is_default": position == 0, "effective_date": day},
        )
        if created:
            stats.successions_created += 1
        elif (succession.is_default, succession.effective_date) != (position == 0, day):
            succession.is_default, succession.effective_date = position == 0, day
            succession.save(update_fields=["is_default", "effective_date"])
            stats.successions_updated += 1
