"""How the pages and exports name who a project supports (``ProjectKind``) and the batch
that assigned it: a group project is never shown with an invented beneficiary, but as
"Đề án nhóm (k cơ sở)" with its participants on the date shown; a project the centre
implements itself as "Trung tâm thực hiện".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from khuyencong.core.text import day_text
from khuyencong.projects.models import GroupMember, ProjectKind


def allocation_text(allocation: Any) -> str:
    """The batch's citation as documents write it: "Công văn số 120/CCTĐP-KC ngày
    15/03/2024 của Cục Công Thương địa phương, đợt 1"."""
    if allocation is None:
        return ""
    document = "Quyết định" if allocation.document_kind == "decision" else "Công văn"
    return (
        f"{document} số {allocation.document_number} ngày {day_text(allocation.document_date)}"
        f" của {allocation.issuer}, đợt {allocation.batch}"
    )


def group_text(count: int) -> str:
    return _("Group project (%(count)s units)") % {"count": count}


def centre_text() -> str:
    return _("Implemented by the centre")


def supported_text(project: Any, members: int | None = None) -> str:
    """Who the project supports, for a page: the beneficiary's name, the group project with
    its participants' count, or the centre's own project."""
    if project.kind == ProjectKind.GROUP:
        return group_text(members or 0)
    if project.kind == ProjectKind.CENTRE:
        return centre_text()
    return project.beneficiary.name if project.beneficiary_id else ""


def member_counts(projects: Iterable[Any], day: datetime.date | None) -> dict[int, int]:
    """Participants on ``day`` of each group project among ``projects`` (one query, none
    when the page has no group project)."""
    ids = [project.pk for project in projects if project.kind == ProjectKind.GROUP]
    if not ids:
        return {}
    rows = (
        GroupMember.objects.on(day)
        .filter(project_id__in=ids)
        .order_by()
        .values_list("project_id")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def attach_member_counts(projects: list[Any], day: datetime.date | None) -> None:
    """``supported`` on each project of a page: what the beneficiary column shows."""
    counts = member_counts(projects, day)
    for project in projects:
        project.supported = supported_text(project, counts.get(project.pk, 0))


def with_member_count(queryset: QuerySet, day: datetime.date | None) -> QuerySet:
    """``member_count``: the participants on ``day`` (for the export's rows)."""
    members = (
        GroupMember.objects.on(day)
        .filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0))
    )


def export_supported(row: dict[str, Any]) -> str:
    """The export's "Đơn vị thụ hưởng" (a file format: Vietnamese, not translated)."""
    if row["kind"] == ProjectKind.GROUP:
        return f"Đề án nhóm ({row['member_count'] or 0} cơ sở)"
    if row["kind"] == ProjectKind.CENTRE:
        return "Trung tâm thực hiện"
    return row["beneficiary__name"] or ""
