"""Trust-walk registrations of the reports app (see tests/trust/routes.py): saved reports
(province scope, no district or owner), the builder's pages and the DOCX template.

A saved report of side A or A2 is a report of province Bắc Kạn (plan years 2016 and 2017), of
side B one of Thái Nguyên; its number and its solutions carry the marker. The builder's
preview states the projects of its province and year: ``_states_only_its_scope`` checks that
every project line of the preview (its figures add these lines up) is one the role may see.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from tests.trust.routes import Route, register, register_download
from tests.trust.world import World, marker, world_object

PLAN_YEARS = {"A": 2016, "A2": 2017, "B": 2016}  # the years of the world's plans (world.py)


@world_object("report")
def _report(world: World, side: str) -> Any:
    from khuyencong.reports import services
    from khuyencong.reports.edits import ReportEdits

    world.obj("project", side)  # the report states its province's projects of the year
    year = PLAN_YEARS[side]
    text = marker(side, "report")
    return services.save_report(
        user=world.users["national"],
        province=world.sides[side].province,
        year=year,
        period="Y",
        as_of=datetime.date(year, 12, 31),
        edits=ReportEdits(number=text, solutions=(f"Giải pháp {text}",)),
        background=False,
    )


@world_object("report_template")
def _report_template(world: World, side: str) -> Any:
    """A version of the DOCX template (the repository's), as a system administrator uploads
    it in the admin; ``reports:template`` serves the newest to system administrators."""
    from django.core.files.base import ContentFile

    from khuyencong.reports.docx_template import TEMPLATE_PATH
    from khuyencong.reports.models import ReportTemplate

    return ReportTemplate.objects.create(
        file=ContentFile(TEMPLATE_PATH.read_bytes(), name="mau-bao-cao.docx"),
        notes=f"Mẫu {marker(side, 'report_template')}",
        uploaded_by=world.users["admin"],
    )


@world_object("issued_report")
def _issued_report(world: World, side: str) -> Any:
    """A report of the side's province signed and issued (the system administrator may act on
    any report): what the national list of received reports shows, its number the marker."""
    from django.test import TestCase

    from khuyencong.reports import services
    from khuyencong.reports.edits import ReportEdits

    world.obj("project", side)
    year = PLAN_YEARS[side]
    admin = world.users["admin"]
    report = services.save_report(
        user=admin,
        province=world.sides[side].province,
        year=year,
        period="Y",
        as_of=datetime.date(year, 12, 31),
        edits=ReportEdits(solutions=("Giải pháp",)),
        background=False,
    )
    report = services.submit_report(user=admin, report=report)
    # as committed: the draft's files it replaces leave the storage (on commit)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.issue_report(
            user=admin,
            report=report,
            number=marker(side, "issued_report")[:30],
            issued_on=datetime.date(year + 1, 1, 10),
        )


def _signs_off(permission: str) -> Any:
    """The permission on the report, and the report's side: a province's report is signed off
    by the province, a nationwide one by the national agency (system administrators both)."""

    def allow(user: Any, report: Any) -> bool:
        from khuyencong.accounts import roles
        from khuyencong.reports import services

        return roles.allowed(user, permission, report) and not services.side_problem(user, report)

    return allow


STEP_NOTE = (
    "a sign-off step posted from the report's page: the form carries the version; the "
    "walk's report is a draft, so steps not allowed from it come back as the page with the "
    "workflow's refusal (nothing changed)"
)


def _preview_query(world: World, side: str) -> str:
    """The builder's preview of province A's projects of 2016 (the role's scope decides)."""
    query = {"province": world.sides[side].province.pk, "year": PLAN_YEARS[side], "period": "Y"}
    return "?" + urlencode(query)


def _states_only_its_scope(world: World, role: str, side: str, response: Any, text: str) -> list:
    """Every project line the preview states (its figures are sums of these lines) is of a
    project of the report's province and year that the role may see."""
    if response.status_code != 200 or response.context is None or "data" not in response.context:
        return []
    from khuyencong.projects.models import Project

    province = world.sides[side].province
    problems = []
    for section in response.context["data"].sections:
        for line in section.projects:
            project = Project.objects.filter(pk=line.project_id).first()
            if project is None or not world.may_list(role, project):
                problems.append(f"the preview states project {line.reference or line.title}")
            elif project.province_id != province.pk or project.plan.year != PLAN_YEARS[side]:
                problems.append(f"the preview states {line.reference} of another scope")
    return problems


register(
    Route("reports:index", "reports.view", shows=("report",)),
    Route("reports:new", "reports.view"),
    Route(
        "reports:preview",
        "reports.view",
        query=_preview_query,
        check=_states_only_its_scope,
        note="the province in the query is side A's: other provinces' users get the form "
        "back with an error (their scope lists only their province)",
    ),
    Route(
        "reports:template",
        "reports.manage_templates",
        obj="report_template",
        kwargs=lambda world, side, template: {},
    ),
    Route("reports:detail", "reports.view", obj="report"),
    Route("reports:status", "reports.view", obj="report"),
    Route("reports:changes", "reports.view", obj="report"),
    Route("reports:archive", "reports.create", obj="report", method="post"),
    Route(
        "reports:submit",
        "reports.submit",
        obj="report",
        method="post",
        allow=_signs_off("reports.submit"),
        note=STEP_NOTE,
    ),
    Route(
        "reports:return",
        "reports.sign",
        obj="report",
        method="post",
        allow=_signs_off("reports.sign"),
        note=STEP_NOTE,
    ),
    Route(
        "reports:issue",
        "reports.sign",
        obj="report",
        method="post",
        allow=_signs_off("reports.sign"),
        note=STEP_NOTE,
    ),
    Route(
        "reports:send",
        "reports.send",
        obj="issued_report",
        method="post",
        allow=_signs_off("reports.send"),
        note=STEP_NOTE,
    ),
    Route("reports:received", "reports.view", shows=("issued_report",)),
    Route(
        "reports:download",
        "reports.view",
        obj="report",
        kwargs=lambda world, side, report: {"pk": report.pk, "fmt": "xlsx"},
    ),
)

register_download("reports.SavedReport.docx_file", "reports:download")
register_download("reports.SavedReport.pdf_file", "reports:download")
register_download("reports.SavedReport.xlsx_file", "reports:download")
# Template versions are uploaded by system administrators (admin); the one in use is served
# to them only (to edit it in Word).
register_download("reports.ReportTemplate.file", "reports:template")
