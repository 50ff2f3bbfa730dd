"""A beneficiary's support from projects, and the double-support rule (the one place for it).

Support comes from a project for the beneficiary alone (``Project.beneficiary``) or from a
place in a group project (``GroupMember``, with its own amount). Each support has the years it
runs, its funding source, its content area (the catalog item) and its amount.

**Double support** (warned, never refused): two supports of the same content area whose years
overlap, e.g. a machinery-demonstration project of the national fund and one of the local fund
in 2019. Basis: the registration's commitment that no other state budget pays for the same
expense (registrations.eligibility's double-funding check, TTLT 26/2014 / TT 28/2018 on
counterpart funds). UNCONFIRMED: legal-notes.md cites no article that forbids two supports of
the same content to one beneficiary, so the page says "to check", not "not allowed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from khuyencong.projects.models import GroupMember, Project, Status

# Supports that did not happen: a stopped project is not counted twice.
NOT_SUPPORT = frozenset({Status.STOPPED})
RULE_CONFIRMED = False  # see the module's docstring


@dataclass(frozen=True)
class Support:
    project: Any
    first_year: int | None
    last_year: int | None
    source_code: str  # national / local / other
    source_label: str
    content_area: Any
    amount: int  # state support (national + local + other), whole VND
    as_member: bool  # a place in a group project

    @property
    def years(self) -> str:
        if self.first_year is None:
            return "—"
        if self.last_year in (None, self.first_year):
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def overlaps(self, other: Support) -> bool:
        if self.first_year is None or other.first_year is None:
            return False
        return self.first_year <= (other.last_year or other.first_year) and other.first_year <= (
            self.last_year or self.first_year
        )


@dataclass(frozen=True)
class DoubleSupport:
    first: Support
    second: Support
    message: str
    confirmed: bool = RULE_CONFIRMED


def _years(project: Project) -> tuple[int | None, int | None]:
    if project.start_date is not None:
        end = project.end_date or project.start_date
        return project.start_date.year, end.year
    if project.plan_id is not None:
        return project.plan.year, project.plan.end_year or project.plan.year
    return None, None


def _source(project: Project) -> tuple[str, str]:
    code = project.funding_source_code
    if project.plan_id is not None and project.plan.funding_source.code == code:
        return code, str(project.plan.funding_source.name)
    return code, {"national": _("National fund"), "local": _("Local fund")}.get(code, _("Other"))


def supports(projects: QuerySet, members: QuerySet) -> list[Support]:
    """The supports in ``projects`` (for the beneficiary alone) and ``members`` (its places in
    group projects), newest first. Three queries."""
    related = ("plan__funding_source", "content_area")
    result = []
    for project in projects.active().exclude(status__in=NOT_SUPPORT).select_related(*related):
        first, last = _years(project)
        code, label = _source(project)
        amount = project.budget.support
        result.append(
            Support(project, first, last, code, label, project.content_area, amount, False)
        )
    members = members.filter(archived_at__isnull=True).select_related(
        *(f"project__{name}" for name in related)
    )
    for member in members.exclude(project__status__in=NOT_SUPPORT):
        project = member.project
        first, last = _years(project)
        code, label = _source(project)
        result.append(
            Support(
                project, first, last, code, label, project.content_area, member.support_amount, True
            )
        )
    result.sort(key=lambda s: (-(s.first_year or 0), s.project.code))
    return result


def double_supports(items: list[Support]) -> list[DoubleSupport]:
    """Pairs of supports of the same content area in overlapping years."""
    found = []
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if first.project.pk == second.project.pk:
                continue
            if first.content_area is None or first.content_area.pk != second.content_area.pk:
                continue
            if not first.overlaps(second):
                continue
            both_funds = {first.source_code, second.source_code} == {"national", "local"}
            values = {
                "content": first.content_area.name,
                "first": first.project.code,
                "second": second.project.code,
            }
            if both_funds:
                message = _(
                    "%(first)s and %(second)s support the same content (%(content)s) in "
                    "overlapping years, one from the national and one from the local fund: "
                    "check that no expense is paid twice."
                )
            else:
                message = _(
                    "%(first)s and %(second)s support the same content (%(content)s) in "
                    "overlapping years: check that no expense is paid twice."
                )
            found.append(DoubleSupport(first, second, message % values))
    return found


def beneficiary_supports(
    beneficiary: Any, projects: QuerySet | None = None, members: QuerySet | None = None
) -> list[Support]:
    """The supports of ``beneficiary`` among ``projects``/``members`` (default: all)."""
    projects = Project.objects.all() if projects is None else projects
    members = GroupMember.objects.all() if members is None else members
    return supports(
        projects.filter(beneficiary=beneficiary), members.filter(beneficiary=beneficiary)
    )
