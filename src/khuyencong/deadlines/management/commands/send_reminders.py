"""``manage.py send_reminders``: compute every obligation (one run over the whole country) and
record the reminders of the day: one per obligation, responsible user and day, so running it
every hour makes each reminder once. ``--dry-run --format json`` prints the obligations and
records nothing. (E-mail sending comes with the digests.)"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khuyencong.deadlines import obligations, reminders
from khuyencong.deadlines.views import default_as_of


class Command(BaseCommand):
    help = "Compute the deadlines and record today's reminders (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", help="compute as of this day (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="print, record nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = default_as_of()
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of takes a date as YYYY-MM-DD") from None
        items = obligations.compute(as_of)
        dues = reminders.due_reminders(as_of, items)
        if options["dry_run"]:
            self.print(dues, as_of, options["format"])
            return
        made = reminders.record(dues, as_of)
        self.stdout.write(
            f"{as_of.isoformat()}: {len(items)} obligations, {len(dues)} to remind, "
            f"{made} new reminders recorded"
        )

    def print(self, dues: list[reminders.Due], as_of: datetime.date, fmt: str) -> None:
        rows = [
            {
                "kind": due.obligation.kind,
                "key": due.obligation.key,
                "due": due.obligation.due.isoformat(),
                "record": {"type": due.obligation.record_type, "id": due.obligation.record_id},
                "label": due.obligation.label,
                "role": due.obligation.role,
                "users": [user.username for user in due.users],
                "late": due.obligation.is_late,
                "late_days": due.obligation.late_days,
            }
            for due in dues
        ]
        if fmt == "json":
            self.stdout.write(
                json.dumps({"as_of": as_of.isoformat(), "obligations": rows}, ensure_ascii=False)
            )
            return
        for row in rows:
            late = f" LATE {row['late_days']}d" if row["late"] else ""
            self.stdout.write(
                f"{row['due']} {row['kind']}{late}: {row['label']} → {', '.join(row['users'])}"
            )
