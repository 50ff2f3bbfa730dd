"""A ``ReportData`` as JSON and back: what a saved report keeps of the numbers it stated.

``dump(data)`` gives plain JSON (dates as ISO strings, statuses as their values, money as
integers); ``load(dump(data)) == data``. The format carries a version so a later change of
``ReportData`` can still read old snapshots.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from khuyencong.reports.data import (
    Authority,
    NextYearPlan,
    Period,
    PlaceUnit,
    ProjectLine,
    ReportData,
    Signer,
    SourceSection,
)

VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def dump(data: ReportData) -> dict[str, Any]:
    plain = _plain(dataclasses.asdict(data))
    plain["version"] = VERSION
    return plain


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _texts(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


def _percent(value: Any) -> int | Decimal | None:
    if value is None or isinstance(value, int):
        return value
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else number


def _project(raw: dict[str, Any]) -> ProjectLine:
    return ProjectLine(
        **{
            **raw,
            "place": tuple(PlaceUnit(**unit) for unit in raw["place"]),
            "progress_percent": _percent(raw["progress_percent"]),
            "participants": tuple(raw.get("participants", ())),
        }
    )


def _section(raw: dict[str, Any]) -> SourceSection:
    return SourceSection(
        **{
            **raw,
            "assigned_on": _date(raw["assigned_on"]),
            "projects": tuple(_project(project) for project in raw["projects"]),
            "citations": tuple(raw.get("citations", ())),
        }
    )


def load(raw: dict[str, Any]) -> ReportData:
    if raw.get("version") != VERSION:
        raise ValueError(f"unknown snapshot version {raw.get('version')!r}")
    period = raw["period"]
    next_year = raw["next_year"]
    return ReportData(
        authority=Authority(**raw["authority"]),
        number=raw["number"],
        symbol=raw["symbol"],
        place_name=raw["place_name"],
        issued_on=_date(raw["issued_on"]),
        as_of=_date(raw["as_of"]),
        title=raw["title"],
        period=Period(kind=period["kind"], year=period["year"], until=_date(period["until"])),
        scope_label=raw["scope_label"],
        sections=tuple(_section(section) for section in raw["sections"]),
        legal_basis=raw["legal_basis"],
        local_programme=raw["local_programme"],
        focus_areas=tuple(raw["focus_areas"]),
        solutions=_texts(raw["solutions"]),
        orientation=_texts(raw["orientation"]),
        next_year=NextYearPlan(**next_year) if next_year is not None else None,
        recipients=tuple(raw["recipients"]),
        signer=Signer(**raw["signer"]),
        document_type=raw["document_type"],
        annex_title=raw["annex_title"],
        warnings=tuple(raw.get("warnings", ())),
    )
