"""Generate a report file from the command line.

    manage.py report --province "Bắc Kạn" --year 2018 --period H1 --format docx -o bc.docx
    manage.py report --national --year 2018 --period Y --format xlsx -o annex.xlsx
    manage.py report --province "Bắc Kạn" --year 2018 --period D --as-of 2018-08-15 ...

The command is a trusted caller (any scope); ``--user`` builds the report as that user sees it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from khuyencong.accounts.models import User
from khuyencong.documents import wording
from khuyencong.projects.selectors import province_units
from khuyencong.reports import render
from khuyencong.reports.builder import ReportRefused, build_report
from khuyencong.reports.edits import starting_edits
from khuyencong.reports.models import ReportTemplate
from khuyencong.reports.periods import PeriodRefused, check_period
from khuyencong.reports.services import docx_template

PERIODS = (*wording.PERIOD_KINDS, wording.TO_DATE)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        message = _("Dates are written YYYY-MM-DD, not %(value)s.") % {"value": value}
        raise CommandError(message) from None


def find_province(name: str, day: datetime.date) -> Any:
    """The province called ``name`` on ``day`` (accent-insensitive; legacy or current era)."""
    units = province_units(name)
    if not units:
        raise CommandError(_("No province is called %(name)s.") % {"name": name})
    valid = [unit for unit in units if unit.is_valid_on(day)] or units
    return valid[0]


class Command(BaseCommand):
    help = "Generate a khuyến công report (DOCX, PDF or XLSX annex) for a province or the country."

    def add_arguments(self, parser: Any) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--province", help="Province name, e.g. “Bắc Kạn”.")
        scope.add_argument("--national", action="store_true", help="The whole country.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--period", required=True, choices=PERIODS)
        parser.add_argument("--as-of", dest="as_of", help="Status date (YYYY-MM-DD).")
        parser.add_argument("--issued-on", dest="issued_on", help="Date of the report.")
        parser.add_argument("--format", dest="fmt", required=True, choices=("docx", "pdf", "xlsx"))
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.add_argument("--user", help="Build the report as this user sees it.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"]) if options["as_of"] else None
        issued_on = _date(options["issued_on"]) if options["issued_on"] else None
        year, kind = options["year"], options["period"]
        try:
            period = check_period(kind, year, as_of)  # the form's and the API's rule
        except PeriodRefused as refused:
            raise CommandError(refused.message) from None
        province = None
        if options["province"]:
            province = find_province(options["province"], as_of or period.end)
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("No user is called %(name)s.") % {"name": options["user"]})
        try:
            data = build_report(
                user=user,
                province=province,
                year=year,
                period=period,
                as_of=as_of,
                issued_on=issued_on,
            )
        except ReportRefused as refused:
            raise CommandError(refused.message) from None

        for warning in data.warnings:  # what the data could not support (as in the preview)
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        data = starting_edits(data).apply(data)
        fmt = options["fmt"]
        if fmt == "docx":
            content = render.render_docx(data, template=docx_template(ReportTemplate.current()))
        elif fmt == "pdf":
            content = render.render_pdf(data)
        else:
            content = render.render_xlsx(data)
        output: Path = options["output"]
        output.write_bytes(content)
        self.stdout.write(
            _("Wrote %(path)s (%(size)s bytes): %(count)s projects, %(scope)s, %(period)s.")
            % {
                "path": output,
                "size": len(content),
                "count": len(data.projects),
                "scope": data.scope_label,
                "period": data.period.label,
            }
        )
