"""``manage.py load_unit_history FILE``: load dated historical units (``places.history``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from khuyencong.places.history import UnitHistoryError, load_unit_history


class Command(BaseCommand):
    help = (
        "Load dated historical administrative units and their successors from a CSV "
        "(code,name,type,parent_code,valid_from,valid_to,successor_codes). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (see docs/architecture.md).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read %(file)s as UTF-8 text.") % {"file": file}) from error
        try:
            stats = load_unit_history(text)
        except UnitHistoryError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            _(
                "Units: %(created)s created, %(updated)s updated; successions: "
                "%(s_created)s created, %(s_updated)s updated."
            )
            % {
                "created": stats.created,
                "updated": stats.updated,
                "s_created": stats.successions_created,
                "s_updated": stats.successions_updated,
            }
        )
