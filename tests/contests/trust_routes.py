"""Trust-walk registrations of the product vote (see tests/trust/routes.py).

World records (made through ``contests.services`` and the builders of tests/contests):

- ``contest``: a district contest of the side's district, open for registration; its name
  carries the marker. An open contest is a public call to the establishments of its province
  (``contests.selectors.contest_list``), hence a *context* kind: any user of the province may
  read its name, whatever their district or owner;
- ``entry`` (the side's establishment's product in that contest) and ``entry_file`` (its
  registration form, the file name carrying the marker);
- ``decided_contest``: another district contest judged by one judge, its results announced
  and its recognition decided; ``certificate`` is the certificate of its only entry (the
  product name carries the marker) and ``complaint`` a complaint received after the decision,
  not yet resolved.

Who may see a contest is not only the permission table: an establishment sees the contests
open in its province and those it entered, a judge those whose panel they sit on
(``_may_see_contest``); a judge scores (and sees their own cards) only on the panel of the
entry's contest, and no other judge's points before the panel closes (``_judges_entry``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from tests.trust.routes import PUBLIC, Route, register, register_download
from tests.trust.world import World, marker, world_object

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _district_contest(world: World, side: str, kind: str) -> Any:
    from khuyencong.contests import services
    from tests.contests import factories

    contest = factories.new_contest(
        name=f"Bình chọn {marker(side, kind)}",
        level="district",
        area=world.sides[side].district,
        authority_name="Ủy ban nhân dân huyện",
    )
    return services.open_registration(contest=contest, actor=None)


@world_object("contest", context=True)
def _contest(world: World, side: str) -> Any:
    return _district_contest(world, side, "contest")


@world_object("entry")
def _entry(world: World, side: str) -> Any:
    from tests.contests import factories

    return factories.entry(
        world.obj("contest", side),
        beneficiary=world.obj("beneficiary", side),
        name=f"Sản phẩm {marker(side, 'entry')}",
        eligible=False,
    )


@world_object("entry_file")
def _entry_file(world: World, side: str) -> Any:
    from khuyencong.contests import services
    from khuyencong.contests.models import FileKind

    return services.add_entry_file(
        entry=world.obj("entry", side),
        actor=None,
        kind=FileKind.REGISTRATION_FORM,
        upload=SimpleUploadedFile(f"don-{marker(side, 'entry_file')}.pdf", PDF),
    )


@world_object("decided_contest", context=True)
def _decided_contest(world: World, side: str) -> Any:
    from khuyencong.contests import rules, services
    from tests.contests import factories

    contest = _district_contest(world, side, "decided_contest")
    factories.with_jury(contest, size=rules.jury_size_rule("district", contest.judging_on).sizes[0])
    (judge,) = factories.with_panel(contest, 1)
    entry = factories.entry(
        contest,
        beneficiary=world.obj("beneficiary", side),
        name=f"Sản phẩm {marker(side, 'certificate')}",
    )
    contest = services.start_judging(contest=contest, actor=None)
    factories.score(contest, entry, judge, 90)
    contest = services.close_panel(contest=contest, actor=judge)
    contest = services.announce_results(contest=contest, actor=None, announced_on=D(2018, 4, 6))
    services.record_decision(
        contest=contest,
        actor=None,
        decision_number="15/QĐ-UBND",
        decision_date=D(2018, 5, 10),
    )
    contest.refresh_from_db()
    return contest


@world_object("certificate")
def _certificate(world: World, side: str) -> Any:
    return world.obj("decided_contest", side).certificates.get()


@world_object("complaint")
def _complaint(world: World, side: str) -> Any:
    from khuyencong.contests import services

    return services.file_complaint(
        contest=world.obj("decided_contest", side),
        actor=None,
        complainant=f"Ông {marker(side, 'complaint')}",
        received_on=D(2018, 5, 15),
        content=f"Khiếu nại {marker(side, 'complaint')}",
    )


# ------------------------------------------------------------------------------ who may see


def _may_see_contest(user: Any, contest: Any) -> bool:
    """contests/selectors.py: an establishment sees the contests open in its province and
    those it entered; a judge those they sit on; staff those in their scope."""
    from khuyencong.contests.models import ContestStatus

    role = roles.role_of(user)
    if role == Role.BENEFICIARY:
        if user.beneficiary_id is None:
            return False
        entered = contest.entries.filter(beneficiary_id=user.beneficiary_id).exists()
        open_here = (
            contest.status == ContestStatus.REGISTRATION
            and contest.province_id == user.beneficiary.province_id
        )
        return entered or open_here
    if role == Role.JURY_MEMBER:
        return _sits_on(user, contest)
    return roles.check(user, "contests.view", contest).allowed


def _sits_on(user: Any, contest: Any) -> bool:
    return (
        contest.judges.active().filter(user=user).exists()
        or contest.jury.active().filter(user=user).exists()
    )


def _registers_in(user: Any, contest: Any) -> bool:
    return roles.has_permission(user, "contests.register_entry") and _may_see_contest(user, contest)


def _judges_entry(user: Any, entry: Any) -> bool:
    """Only a judge on the panel of the entry's contest opens its score card (their own)."""
    return roles.has_permission(user, "contests.score") and (
        entry.contest.judges.active().filter(user=user).exists()
    )


ADDS = "the form adds a new row; it edits no existing record"
ONCE = "a one-time step, not an edit"


def _first(model_path: str) -> Any:
    from django.apps import apps

    return apps.get_model(model_path).objects.active().order_by("pk").first()


def _entry_upload(world: World, side: str, entry: Any) -> dict[str, Any]:
    return {"kind": "description", "file": SimpleUploadedFile("mo-ta.pdf", PDF)}


register(
    Route("contests:list", "contests.view", shows=("contest",)),
    Route("contests:create", "contests.manage"),
    Route("contests:detail", "contests.view", obj="contest", allow=_may_see_contest),
    Route("contests:edit", "contests.manage", obj="contest"),
    Route(
        "contests:action",
        "contests.manage",
        obj="contest",
        method="post",
        kwargs=lambda world, side, contest: {"pk": contest.pk, "action": "start_judging"},
    ),
    Route("contests:jury_add", "contests.manage", obj="contest", unversioned=ADDS),
    Route("contests:judge_add", "contests.manage", obj="contest", unversioned=ADDS),
    Route(
        "contests:entry_create",
        "contests.register_entry",
        obj="contest",
        allow=_registers_in,
        unversioned=ADDS,
    ),
    Route(
        "contests:announce",
        "contests.manage",
        obj="decided_contest",
        unversioned=ONCE + " (a second announcement is refused by the workflow)",
    ),
    Route("contests:complaint_add", "contests.manage", obj="decided_contest", unversioned=ADDS),
    Route(
        "contests:decision",
        "contests.manage",
        obj="decided_contest",
        ok=(302,),
        note="the decision is recorded once; on a decided contest the page sends back to it",
    ),
    Route(
        "contests:decision_document",
        "contests.view",
        obj="decided_contest",
        kwargs=lambda world, side, contest: {"pk": contest.pk, "fmt": "docx"},
        note="staff in the contest's area (an establishment reads its results on the page)",
    ),
    Route(
        "contests:entry",
        "contests.view",
        obj="entry",
        unversioned="the file form adds a dossier file (the review form carries the version)",
    ),
    Route(
        "contests:entry_file_add",
        "contests.register_entry",
        obj="entry",
        method="post",
        data=_entry_upload,
    ),
    Route(
        "contests:entry_review",
        "contests.manage",
        obj="entry",
        method="post",
        data={"decision": "ineligible", "eligibility_note": "Thiếu hồ sơ."},
    ),
    Route("contests:score", "contests.score", obj="entry", allow=_judges_entry),
    Route("contests:file", "contests.view", obj="entry_file"),
    Route("contests:my_scoring", "contests.score"),
    Route(
        "contests:complaint_resolve",
        "contests.manage",
        obj="complaint",
        unversioned=ONCE + " (resolving an already resolved complaint is refused)",
    ),
    Route("contests:certificates", "contests.manage", shows=("certificate",)),
    Route("contests:certificate_pdf", "contests.view", obj="certificate"),
    Route(
        "contests:certificate_revoke",
        "contests.manage",
        obj="certificate",
        unversioned=ONCE + " (revoking a revoked certificate is refused)",
    ),
    # Public: anyone holding a certificate's exact number may check it (its product and
    # holder are then shown, by design); the walk asks for a number never issued, so that no
    # record of the world is disclosed to a role that may not read it.
    Route("contests:verify", PUBLIC, query="?number=X99-1900-999", fuzz_role="anonymous"),
    # the rules of the vote: reference data, the same for everyone allowed
    Route("contests:rules", "contests.view"),
    Route("contests:rule_create", "contests.rules", kwargs={"kind": "threshold"}),
    Route(
        "contests:rule_edit",
        "contests.rules",
        kwargs=lambda world, side, obj: {
            "kind": "threshold",
            "pk": _first("contests.ThresholdRule").pk,
        },
    ),
    Route(
        "contests:sheet_edit",
        "contests.rules",
        kwargs=lambda world, side, obj: {"pk": _first("contests.ScoreSheet").pk},
    ),
)

register_download("contests.EntryFile.file", "contests:file")
