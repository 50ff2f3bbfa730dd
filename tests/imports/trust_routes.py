"""Trust-walk registrations of the spreadsheets app (imports from Excel): an import job is
private to the user who uploaded it, who must still hold the permission of its kind."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from khuyencong.accounts import roles
from khuyencong.spreadsheets.models import ImportJob, ImportKind, JobStatus
from khuyencong.spreadsheets.template import build_template
from khuyencong.spreadsheets.views import PERMISSION, allowed_kinds
from tests.trust.routes import Route, register, register_download
from tests.trust.world import World, marker, world_object


@world_object("import_job")
def _import_job(world: World, side: str) -> ImportJob:
    """A checked beneficiaries import of the side's province leader, waiting for the choice of
    a commune for one ambiguous row."""
    owner = world.users["leader_b" if side == "B" else "leader_a"]
    text = marker(side, "import_job")
    commune = world.sides[side].commune
    return ImportJob.objects.create(
        user=owner,
        kind=ImportKind.BENEFICIARIES,
        file=ContentFile(build_template(ImportKind.BENEFICIARIES), name=f"nhap-{side}.xlsx"),
        original_name=f"Danh sách {text}.xlsx",
        status=JobStatus.READY,
        total_rows=1,
        processed_rows=1,
        problems=[{"row": 7, "column": "Tên", "message": f"Lưu ý {text}", "level": "warning"}],
        warning_count=1,
        ambiguities=[
            {
                "row": 7,
                "column": "Địa chỉ",
                "text": f"Thôn {text}",
                "candidates": [{"id": commune.pk, "label": commune.name}],
            }
        ],
    )


def _owner(user: Any, job: ImportJob) -> bool:
    return (
        user is not None
        and job.user_id == user.pk
        and roles.check(user, PERMISSION[job.kind]).allowed
    )


register(
    Route(
        "spreadsheets:index",
        "imports.beneficiaries",
        allow=lambda user, obj: bool(allowed_kinds(user)),
        fuzz_role="leader_a",
    ),
    Route("spreadsheets:template", "imports.beneficiaries", kwargs={"kind": "beneficiaries"}),
    Route(
        "spreadsheets:job",
        "imports.beneficiaries",
        obj="import_job",
        allow=_owner,
        fuzz_role="leader_a",
        unversioned="an import job is private to its uploader, whose choices are re-sent "
        "whole with each save; nobody else can edit it",
    ),
    Route(
        "spreadsheets:choose",
        "imports.beneficiaries",
        obj="import_job",
        method="post",
        data={"save": "1"},
        allow=_owner,
    ),
    Route("spreadsheets:download", "imports.beneficiaries", obj="import_job", allow=_owner),
)

register_download("spreadsheets.ImportJob.file", "spreadsheets:download")
