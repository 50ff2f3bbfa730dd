"""The personal calendar (.ics, RFC 5545) of a user's deadlines: one all-day event per open
obligation, written by hand (no dependency), lines folded at 75 octets."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone

from khuyencong.deadlines.models import ObligationKind, new_secret
from khuyencong.deadlines.obligations import Obligation

__all__ = ["new_secret", "to_ics"]


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def to_ics(items: Iterable[Obligation], base: str, url: Callable[[Obligation], str]) -> str:
    host = base.split("//", 1)[-1].strip("/").split("/")[0] or "khuyencong"
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Khuyen cong//Deadlines//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape("Khuyến công — hạn phải làm"),
    ]
    for item in items:
        link = base.rstrip("/") + url(item)
        summary = item.label
        if item.is_late:
            summary = f"[Trễ {item.late_days} ngày] {summary}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(item.key.replace(':', '-'))}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due + datetime.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + escape(summary),
            "DESCRIPTION:" + escape(f"{ObligationKind(item.kind).label}\n{link}"),
            "URL:" + link,
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
