"""The registration workflow through the services: draft, submit (screened), return for
completion, resubmit, withdraw; who may do what; the event log; illegal steps refused."""

from __future__ import annotations

import pytest

from khuyencong.accounts.models import Role
from khuyencong.registrations import services, workflow
from khuyencong.registrations.models import EventKind, Registration, Screening, Status
from khuyencong.registrations.services import Refused

from . import factories as f

pytestmark = pytest.mark.django_db


def kinds(registration: Registration) -> list[str]:
    return list(registration.events.order_by("recorded_at", "id").values_list("kind", flat=True))


def test_a_new_registration_is_a_numbered_draft_at_its_commune():
    registration = f.registration()
    assert registration.status == Status.DRAFT
    assert registration.code == "DK-06-2019-0001" or registration.code.startswith("DK-06-2019-")
    assert registration.province == f.bac_kan()
    assert registration.district == f.commune().parent
    assert registration.industry.code == "art5_d"  # taken from the beneficiary
    assert kinds(registration) == [EventKind.CREATE]
    second = f.registration()
    assert int(second.code[-4:]) == int(registration.code[-4:]) + 1


def test_submitting_screens_and_stores_every_check():
    registration = f.registration()
    screening = services.submit_registration(registration=registration, actor=f.user())
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    assert screening.outcome == "pass"
    assert screening.rule_set.code == "nd45_local"
    assert screening.rules_date == registration.registered_on
    codes = list(screening.checks.values_list("code", flat=True))
    assert codes[:5] == ["rule_set", "beneficiary_kind", "location", "industry", "content_area"]
    assert "support_level" in codes and "counterpart" in codes
    assert screening.support_limit == 100_000_000  # 50 % of 200 M
    assert kinds(registration) == [EventKind.CREATE, EventKind.SUBMIT, EventKind.SCREEN]


def test_an_incomplete_dossier_cannot_be_submitted_and_stays_a_draft():
    registration = f.registration(description="", product="")
    with pytest.raises(services.InputError) as error:
        services.submit_registration(registration=registration, actor=f.user())
    assert {"description", "product"} <= set(error.value.by_field)
    registration.refresh_from_db()
    assert registration.status == Status.DRAFT
    assert not Screening.objects.filter(registration=registration).exists()


def test_return_for_completion_then_edit_and_resubmit():
    registration = f.submitted()
    staff = f.user(Role.CENTRE_STAFF)
    with pytest.raises(Refused, match=r"reason|lý do"):
        services.return_registration(registration=registration, actor=staff, reason="  ")
    services.return_registration(
        registration=registration, actor=staff, reason="Thiếu báo giá máy móc"
    )
    assert registration.status == Status.RETURNED
    services.update_registration(
        registration=registration,
        actor=staff,
        expected_version=registration.version,
        description="Mua máy tiện và máy phay mới; kèm báo giá.",
    )
    services.submit_registration(registration=registration, actor=staff)
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    assert registration.screenings.count() == 2
    event = registration.events.get(kind=EventKind.RETURN)
    assert event.note == "Thiếu báo giá máy móc" and event.actor == staff


def test_a_submitted_registration_cannot_be_edited():
    registration = f.submitted()
    with pytest.raises(Refused):
        services.update_registration(
            registration=registration,
            actor=f.user(),
            expected_version=registration.version,
            title="Tên mới",
        )
    registration.refresh_from_db()
    assert registration.title != "Tên mới"


def test_a_stale_edit_is_refused():
    registration = f.registration()
    stale = registration.version
    services.update_registration(
        registration=registration, actor=f.user(), expected_version=stale, title="Lần 1"
    )
    with pytest.raises(services.VersionConflict):
        services.update_registration(
            registration=registration, actor=f.user(), expected_version=stale, title="Lần 2"
        )
    registration.refresh_from_db()
    assert registration.title == "Lần 1"


@pytest.mark.parametrize("start", ["draft", "submitted", "returned"])
def test_withdraw_needs_a_reason_and_ends_the_registration(start):
    registration = f.registration() if start == "draft" else f.submitted()
    if start == "returned":
        services.return_registration(registration=registration, actor=f.user(), reason="Thiếu")
    services.withdraw_registration(
        registration=registration, actor=f.user(), reason="Đơn vị xin rút"
    )
    assert registration.status == Status.WITHDRAWN
    with pytest.raises(Refused):
        services.submit_registration(registration=registration, actor=f.user())


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SYSTEM_ADMIN, True),
        (Role.DEPARTMENT_LEADER, True),
        (Role.CENTRE_STAFF, True),
        (Role.DISTRICT_OFFICER, True),
        (Role.NATIONAL_AGENCY, False),
        (Role.JURY_MEMBER, False),
    ],
)
def test_who_may_register(role, allowed):
    actor = f.user(role)
    before = Registration.objects.count()
    if allowed:
        f.registration(actor=actor)
        assert Registration.objects.count() == before + 1
    else:
        with pytest.raises(Refused):
            f.registration(actor=actor)
        assert Registration.objects.count() == before


def test_a_beneficiary_registers_only_for_itself():
    own = f.beneficiary()
    other = f.beneficiary()
    actor = f.user(Role.BENEFICIARY, beneficiary=own)
    mine = f.registration(actor=actor, beneficiary=own)
    assert mine.created_by == actor
    before = Registration.objects.count()
    with pytest.raises(Refused):
        f.registration(actor=actor, beneficiary=other)
    assert Registration.objects.count() == before
    # it may submit and withdraw its own, not return it for completion
    services.submit_registration(registration=mine, actor=actor)
    with pytest.raises(Refused):
        services.return_registration(registration=mine, actor=actor, reason="x")
    services.withdraw_registration(registration=mine, actor=actor, reason="Không làm nữa")


def test_a_district_officer_works_only_in_their_district():
    officer = f.user(Role.DISTRICT_OFFICER)  # Na Rì
    elsewhere = f.beneficiary(place=f.commune(f.NONG_THUONG))  # Bắc Kạn city
    with pytest.raises(Refused):
        f.registration(actor=officer, beneficiary=elsewhere)
    registration = f.registration()
    with pytest.raises(Refused):
        services.submit_registration(
            registration=f.registration(beneficiary=elsewhere), actor=officer
        )
    services.submit_registration(registration=registration, actor=officer)


def test_staff_of_another_province_cannot_touch_it():
    registration = f.submitted()
    stranger = f.user(Role.CENTRE_STAFF, province=f.other_province())
    with pytest.raises(Refused):
        services.return_registration(registration=registration, actor=stranger, reason="x")
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED


def test_screen_again_keeps_the_earlier_screening():
    registration = f.submitted()
    first = registration.screenings.get()
    services.screen_registration(registration=registration, actor=f.user())
    assert registration.screenings.count() == 2
    assert Screening.objects.filter(pk=first.pk).exists()
    with pytest.raises(Refused):
        services.screen_registration(registration=f.registration(), actor=f.user())


def test_the_step_table_has_one_row_per_step_and_known_permissions():
    from khuyencong.accounts.roles import PERMISSIONS

    assert len({step.kind for step in workflow.STEPS}) == len(workflow.STEPS)
    for step in workflow.STEPS:
        names = {step.permission.format(fund=fund) for fund in ("national", "local")}
        assert names <= set(PERMISSIONS)
    assert {s.kind for s in workflow.available(Status.SUBMITTED)} >= {
        EventKind.RETURN,
        EventKind.WITHDRAW,
        EventKind.ACCEPT,
    }
    assert workflow.available(Status.APPROVED) == []
