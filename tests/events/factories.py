"""Builders for events tests."""

from __future__ import annotations

import datetime
import io
from typing import Any

from khuyencong.events.models import Event, EventKind, EventStatus, Participant, ParticipantKind
from khuyencong.places.models import Level
from tests.accounts.factories import BAC_KAN, legacy

D = datetime.date


def bac_kan():
    return legacy(Level.PROVINCE, BAC_KAN)


def district(code: str):
    return legacy(Level.DISTRICT, code)


def event(**fields: Any) -> Event:
    values = {
        "kind": EventKind.TRAINING,
        "title": "Hội nghị tập huấn thử",
        "start_date": D(2018, 9, 25),
        "end_date": D(2018, 9, 26),
        "status": EventStatus.HELD,
        "place": bac_kan(),
    }
    values.update(fields)
    return Event.objects.create(**values)


def officer(event_: Event, district_code: str | None, name: str = "Cán bộ") -> Participant:
    return Participant.objects.create(
        event=event_,
        kind=ParticipantKind.OFFICER,
        name=name,
        district=district(district_code) if district_code else None,
    )


def workbook(rows: list[list[Any]], *, title_rows: int = 0) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
