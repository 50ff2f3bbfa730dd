"""``manage.py projects``: a province's projects of a year with their status on a date.

    python manage.py projects --province "Bắc Kạn" --year 2018 --as-of 2018-06-30 --format table

The province name is matched without accents ("Bac Kan" works). Figures are rebuilt from the
event log, as every as-of view is.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.core.money import group_thousands
from khuyencong.plans.models import Plan
from khuyencong.projects.plan_selectors import plan_figures_many
from khuyencong.projects.selectors import plan_states, province_units


class Command(BaseCommand):
    help = "List a province's projects of a year with their status as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help='e.g. "Bắc Kạn" (accents optional)')
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: every record)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of must be a date like 2018-06-30") from None
        provinces = province_units(options["province"])
        if not provinces:
            raise CommandError(f"No province matches {options['province']!r}")
        plans = list(
            Plan.objects.active()
            .filter(province__in=provinces, year=options["year"])
            .select_related("funding_source", "province")
            .order_by("funding_source__sort_order", "pk")
        )
        figures = plan_figures_many(plans, as_of)
        report = {
            "province": provinces[0].name,
            "year": options["year"],
            "as_of": as_of.isoformat() if as_of else None,
            "plans": [self._plan(plan, figures[plan.pk], as_of) for plan in plans],
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._table(report)

    def _plan(self, plan: Plan, figures: Any, as_of: datetime.date | None) -> dict[str, Any]:
        projects = []
        for project, state in plan_states(plan, as_of):
            projects.append(
                {
                    "code": project.code,
                    "title": project.title,
                    "beneficiary": project.beneficiary.name if project.beneficiary else None,
                    "place": project.place.name,
                    "status": state.status,
                    "status_label": state.status_label,
                    "phase": state.phase,
                    "under_review": state.under_review,
                    "progress_percent": state.progress_percent,
                    "budget": state.plan_budget,
                    "allocated": state.allocated,
                    "disbursed": state.disbursed,
                }
            )
        return {
            "title": plan.title,
            "funding_source": plan.funding_source.code,
            "decision": plan.decision_number,
            "ceiling": figures.ceiling,
            "allocated": figures.allocated,
            "disbursed": figures.disbursed,
            "settled": figures.settled,
            "free": figures.free,
            "projects": projects,
        }

    def _table(self, report: dict[str, Any]) -> None:
        when = report["as_of"] or "now"
        self.stdout.write(f"{report['province']} — {report['year']} — as of {when}")
        for plan in report["plans"]:
            self.stdout.write("")
            self.stdout.write(
                f"{plan['title']} ({plan['decision']}): ceiling {group_thousands(plan['ceiling'])}"
                f", allocated {group_thousands(plan['allocated'])}"
                f", disbursed {group_thousands(plan['disbursed'])}"
                f", settled {group_thousands(plan['settled'])}"
                f", free {group_thousands(plan['free'])}"
            )
            for row in plan["projects"]:
                status = row["status"] + (" (under review)" if row["under_review"] else "")
                if row["phase"] == "not_started":
                    status += " [not started]"
                self.stdout.write(
                    f"  {row['code']:<16} {status:<34} {row['progress_percent']:>3}% "
                    f"{group_thousands(row['budget']):>13} {row['title'][:70]}"
                    + (f" — {row['beneficiary']}" if row["beneficiary"] else "")
                )
