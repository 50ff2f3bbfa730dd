"""Trust-walk registrations of the project forms and inspection pages (the list, detail and
document download are registered in tests/trust/routes_builtin.py). The world's projects are
``registered``: their next step is the appraisal; a contracted project per side (in the same
plan) is there for the progress form."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts import roles
from khuyencong.catalog.models import ContentArea
from tests.trust.routes import Route, register
from tests.trust.world import World, marker, world_object

D = datetime.date


@world_object("project_contracted")
def _project_contracted(world: World, side: str) -> Any:
    from khuyencong.projects import services
    from khuyencong.projects.models import Budget, Status
    from khuyencong.projects.services import SYSTEM
    from tests.projects.factories import walk

    plan = world.obj("plan", side)
    project = services.create_project(
        actor=SYSTEM,
        code=f"KQZ-{side}-HD",
        title=f"Đề án {marker(side, 'project_contracted')}",
        content_area=ContentArea.objects.get(code="machinery"),
        implementing_unit=world.obj("centre", side),
        place=world.sides[side].commune,
        registered_on=D(plan.year, 1, 5),
        plan=plan,
        beneficiary=world.obj("beneficiary", side),
        budget=Budget(local=50_000_000),
        expected_results=f"Kết quả {marker(side, 'project_contracted')}",
    )
    walk(project, Status.CONTRACTED)
    world.secret("project_contracted", side, project.code)
    return project


@world_object("project_annullable")
def _project_annullable(world: World, side: str) -> Any:
    """A project in progress with two progress entries and two "under review" notes, each
    of which may be annulled or corrected on its own (issue 20)."""
    from khuyencong.projects import services
    from khuyencong.projects.models import Budget, EventKind, Status
    from khuyencong.projects.services import SYSTEM
    from tests.projects.factories import walk

    plan = world.obj("plan", side)
    project = services.create_project(
        actor=SYSTEM,
        code=f"KQZ-{side}-HUY",
        title=f"Đề án {marker(side, 'project_annullable')}",
        content_area=ContentArea.objects.get(code="machinery"),
        implementing_unit=world.obj("centre", side),
        place=world.sides[side].commune,
        registered_on=D(plan.year, 1, 5),
        plan=plan,
        beneficiary=world.obj("beneficiary", side),
        budget=Budget(local=50_000_000),
    )
    walk(project, Status.IN_PROGRESS)
    services.record_progress(
        project=project, actor=SYSTEM, date=D(plan.year, 3, 1), progress_percent=40
    )
    for day in (2, 3):
        services.project_transition(
            project=project,
            kind=EventKind.UNDER_REVIEW,
            effective_date=D(plan.year, 3, day),
            actor=SYSTEM,
            reason=f"Xem xét {marker(side, 'project_annullable')}",
        )
    return project


def annul_kwargs(which: str):
    """URL kwargs of the annullable project's record: its last progress entry, its last
    "under review" note (annulled) or its first one (corrected)."""

    def kwargs(world: World, side: str, project: Any) -> dict[str, Any]:
        if which == "progress":
            record = project.progress_updates.order_by("-pk").first()
        else:
            notes = project.events.filter(kind="under_review").order_by("sequence")
            record = notes.last() if which == "event" else notes.first()
        return {"pk": project.pk, "record": record.pk}

    return kwargs


def _last_annulment_reason(project: Any) -> str:
    return project.annulments.order_by("-pk").first().reason


@world_object("group_project")
def _group_project(world: World, side: str) -> Any:
    """An approved group project (đề án lập theo nhóm) of the side: no beneficiary."""
    from khuyencong.projects import services
    from khuyencong.projects.models import Budget, ProjectKind, Status
    from khuyencong.projects.services import SYSTEM
    from tests.projects.factories import walk

    plan = world.obj("plan", side)
    project = services.create_project(
        actor=SYSTEM,
        code=f"KQZ-{side}-NHOM",
        title=f"Đề án nhóm {marker(side, 'group_project')}",
        content_area=ContentArea.objects.get(code="machinery"),
        implementing_unit=world.obj("centre", side),
        place=world.sides[side].commune,
        registered_on=D(plan.year, 1, 5),
        plan=plan,
        kind=ProjectKind.GROUP,
        budget=Budget(local=50_000_000),
    )
    walk(project, Status.APPROVED)
    world.secret("group_project", side, project.code)
    return project


@world_object("group_member")
def _group_member(world: World, side: str) -> Any:
    """The side's beneficiary taking part in the side's group project since 1 March."""
    from khuyencong.projects import groups
    from khuyencong.projects.services import SYSTEM

    project = world.obj("group_project", side)
    return groups.add_member(
        project=project,
        actor=SYSTEM,
        beneficiary=world.obj("beneficiary", side),
        place=world.sides[side].commune,
        support_amount=1_000_000,
        decision_number="1/QĐ-SCT",
        decision_date=D(project.plan.year, 3, 1),
    )


_participants = itertools.count(1)


@world_object("participant")
def new_participant(world: World, side: str) -> Any:
    """An establishment of the side not yet in its group project, for a form or a call that
    adds a participant (made with the world: the walks count writes)."""
    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.catalog.models import BeneficiaryKind
    from tests.trust.world import tax_code

    return Beneficiary.objects.create(
        kind=BeneficiaryKind.objects.get(code="household"),
        name=f"HKD {marker(side, 'participant')} {next(_participants)}",
        tax_code=tax_code(),
        commune=world.sides[side].commune,
    )


def _new_member_form(world: World, side: str, project: Any) -> dict[str, Any]:
    return {
        "beneficiary": world.obj("participant", side).pk,
        "place": world.sides[side].commune.pk,
        "support_amount": "1.000.000",
        "decision_number": "5/QĐ-SCT",
        "decision_date": f"{project.plan.year}-03-02",
    }


def _last_member_decision(project: Any) -> str:
    return project.members.order_by("-pk").first().decision_number


def _last_event_reason(project: Any) -> str:
    return project.events.order_by("-sequence").first().reason


def _last_progress_note(project: Any) -> str:
    return project.progress_updates.order_by("-pk").first().note


class RereadableFile(SimpleUploadedFile):
    """A file the lost-edit test can post twice (both writers send the same route data)."""

    def read(self, size: int | None = -1) -> bytes:
        content = super().read(size)
        if size is None or size < 0:  # read whole: ready to be read whole again
            self.seek(0)
        return content


def _last_inspection_findings(project: Any) -> str:
    return project.inspections.order_by("-pk").first().findings


def _last_document_title(project: Any) -> str:
    return project.documents.order_by("-pk").first().title


def _register_or_edit(user: Any, obj: Any) -> bool:
    """The beneficiary picker serves both the registration and the edit form."""
    return (
        roles.check(user, "projects.register").allowed or roles.check(user, "projects.edit").allowed
    )


register(
    Route("projects:create", "projects.register"),
    Route("projects:edit", "projects.edit", obj="project"),
    Route(
        "projects:step",
        "projects.appraise",
        obj="project",
        kwargs=lambda world, side, project: {"pk": project.pk, "kind": "appraise"},
        data=lambda world, side, project: {"effective_date": f"{project.plan.year}-02-01"},
        saved=_last_event_reason,
    ),
    Route(
        "projects:progress",
        "projects.implement",
        obj="project_contracted",
        data=lambda world, side, project: {
            "date": f"{project.plan.year}-03-01",
            "progress_percent": "20",
        },
        saved=_last_progress_note,
    ),
    # annulling or correcting a record: a reason, then a confirmation (the walks confirm at once)
    *(
        Route(
            f"projects:{name}",
            "projects.annul",
            obj="project_annullable",
            kwargs=annul_kwargs(which),
            data=data,
            edit_field="reason",
            saved=_last_annulment_reason,
        )
        for name, which, data in (
            ("event_annul", "event", {"confirm": "on"}),
            ("event_correct", "correction", {"confirm": "on", "document_number": "9/KQZ"}),
            ("progress_annul", "progress", {"confirm": "on"}),
        )
    ),
    # adding an inspection or a document is a write on the project: it carries the version
    Route(
        "projects:inspection_create",
        "projects.inspect",
        obj="project",
        saved=_last_inspection_findings,
    ),
    Route(
        "projects:document_create",
        "projects.documents",
        obj="project",
        data=lambda world, side, project: {
            "doc_type": "other",
            "file": RereadableFile("bien-ban.pdf", b"%PDF-1.4 minutes"),
        },
        edit_field="title",
        saved=_last_document_title,
    ),
    # a group project's participants: added and ended by the department's decision
    Route(
        "projects:member_add",
        "projects.group_members",
        obj="group_project",
        data=_new_member_form,
        edit_field="decision_number",
        saved=_last_member_decision,
    ),
    Route(
        "projects:member_end",
        "projects.group_members",
        obj="group_member",
        kwargs=lambda world, side, member: {"pk": member.project_id, "member": member.pk},
        data=lambda world, side, member: {
            "left_on": f"{member.joined_on.year}-04-01",
            "decision_number": "6/QĐ-SCT",
            "reason": "Cơ sở xin thôi tham gia",
        },
        edit_field="reason",
        saved=lambda member: member.leave_reason,
    ),
    Route("projects:inspections", "projects.view", shows=("inspection",)),
    Route("projects:inspection_edit", "projects.inspect", obj="inspection"),
    Route(
        "projects:beneficiary_search",
        "projects.register",
        query="?q=KQZ",
        allow=_register_or_edit,
    ),
)


# --- a province's own procedure (issue 21): its set-up pages are registered here, the lead
# writes tests/setup/trust_routes.py for the others


@world_object("procedure")
def _procedure(world: World, side: str) -> Any:
    """A change of the side's province's procedure: the settlement step's deadline, its roles
    those of the national table (so no other walk's expectation changes). Sides A and A2 share
    Bắc Kạn: each adds its own dated change."""
    from khuyencong.accounts.models import Role
    from khuyencong.projects import procedure
    from khuyencong.projects.models import ProcedureStep
    from khuyencong.projects.services import SYSTEM

    [row] = procedure.save_procedure(
        SYSTEM,
        world.sides[side].province,
        valid_from=D(2018, 1, 1) if side != "A2" else D(2018, 2, 1),
        steps={
            ProcedureStep.SETTLE: procedure.StepInput(
                roles=frozenset({Role.DEPARTMENT_LEADER}),
                deadline_days=60 if side != "A2" else 90,
            )
        },
        notes=f"QĐ {marker(side, 'procedure')}",
    )
    return row


def _procedure_kwargs(world: World, side: str, row: Any) -> dict[str, Any]:
    return {"province_id": row.province_id}


def _latest_procedure_notes(row: Any) -> str:
    from khuyencong.projects.models import ProvinceProcedureStep

    return ProvinceProcedureStep.objects.filter(province=row.province).order_by("-pk")[0].notes


register(
    Route("setup:procedure", "setup.view", obj="procedure", kwargs=_procedure_kwargs),
    Route(
        "setup:procedure_edit",
        "projects.procedure",
        obj="procedure",
        kwargs=_procedure_kwargs,
        data={"settle_deadline": "45"},
        edit_field="notes",
        saved=_latest_procedure_notes,
    ),
)
