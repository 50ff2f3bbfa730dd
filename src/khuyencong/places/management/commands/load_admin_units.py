"""``manage.py load_admin_units [--province NAME ...]``: load or refresh the units."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from khuyencong.places.loader import UnknownProvinceError, load_admin_units
from khuyencong.places.models import Era, Level


class Command(BaseCommand):
    help = (
        "Load the administrative units (63 provinces before 1 July 2025, 34 after) and the "
        "old -> new mapping from the vietnamadminunits package. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="NAME",
            help="Load only this legacy province (and the current province it merged into). "
            "Repeatable; accents optional, e.g. --province 'Bac Kan'.",
        )

    def handle(self, *args: Any, provinces: list[str] | None = None, **options: Any) -> None:
        try:
            stats = load_admin_units(provinces, stdout=self.stdout)
        except UnknownProvinceError as error:
            raise CommandError(
                _("Unknown province name(s): %(names)s.") % {"names": ", ".join(error.names)}
            ) from error
        self.stdout.write(
            _(
                "Before 1 July 2025: %(provinces)s provinces, %(districts)s districts, "
                "%(communes)s communes."
            )
            % {
                "provinces": _number(stats.count(Era.LEGACY, Level.PROVINCE)),
                "districts": _number(stats.count(Era.LEGACY, Level.DISTRICT)),
                "communes": _number(stats.count(Era.LEGACY, Level.COMMUNE)),
            }
        )
        self.stdout.write(
            _("From 1 July 2025: %(provinces)s provinces, %(communes)s communes.")
            % {
                "provinces": _number(stats.count(Era.CURRENT, Level.PROVINCE)),
                "communes": _number(stats.count(Era.CURRENT, Level.COMMUNE)),
            }
        )
        self.stdout.write(
            _("Successions (old → new): %(total)s") % {"total": _number(stats.successions)}
        )
        self.stdout.write(
            _(
                "Units created %(created)s, updated %(updated)s; successions created "
                "%(s_created)s, updated %(s_updated)s; %(seconds)s s."
            )
            % {
                "created": _number(stats.created),
                "updated": _number(stats.updated),
                "s_created": _number(stats.successions_created),
                "s_updated": _number(stats.successions_updated),
                "seconds": number_format(stats.seconds, decimal_pos=1),
            }
        )
        if stats.unmatched_keys:
            self.stderr.write(
                _("%(count)s mapping keys matched no unit (see above).")
                % {"count": len(stats.unmatched_keys)}
            )


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)
