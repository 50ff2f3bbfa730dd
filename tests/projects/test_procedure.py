"""A province's own procedure for its local-fund projects (issue 21): who records each step is
dated data per province; the rule in force on a step's effective date decides, in the
services (form, API, import alike); national-fund projects keep the national rules.

Provinces of different shapes, none of them Bắc Kạn: Lạng Sơn (legacy, "X": its centre staff
record acceptance from 1 June 2019), Cao Bằng (legacy, "Y": the national default), and the
current Tuyên Quang, whose rule governs the projects of Hà Giang merged into it.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.accounts.models import Role
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.plans.models import Plan
from khuyencong.projects import procedure, services
from khuyencong.projects.models import EventKind, ProcedureStep, ProvinceProcedureStep, Status
from khuyencong.projects.procedure import StepInput
from khuyencong.projects.services import SYSTEM, Refused

from . import factories as pf

pytestmark = pytest.mark.django_db

D = datetime.date
CHANGE = D(2019, 6, 1)


def province(era: str, name: str) -> AdminUnit:
    return AdminUnit.objects.get(era=era, level=Level.PROVINCE, short_name=name)


def commune_of(unit: AdminUnit) -> AdminUnit:
    return AdminUnit.objects.filter(level=Level.COMMUNE, province=unit).order_by("code").first()


@pytest.fixture
def x():
    return province(Era.LEGACY, "Lạng Sơn")


@pytest.fixture
def y():
    return province(Era.LEGACY, "Cao Bằng")


def centre_accepts(unit: AdminUnit, day: datetime.date = CHANGE, **extra) -> None:
    procedure.save_procedure(
        SYSTEM,
        unit,
        valid_from=day,
        steps={
            ProcedureStep.ACCEPT: StepInput(
                roles=frozenset({Role.CENTRE_STAFF, Role.DEPARTMENT_LEADER}), **extra
            )
        },
        notes="Quyết định 12/QĐ-UBND",
    )


def in_progress(unit: AdminUnit, source: str = "local", year: int = 2019):
    plan = Plan.objects.filter(province=unit, year=year, funding_source__code=source).first()
    plan = plan or pf.make_plan(source_code=source, year=year, unit=unit, ceiling=900_000_000)
    project = pf.make_project(plan, place=commune_of(unit), budget=100_000_000)
    pf.walk(project, Status.IN_PROGRESS, D(year, 1, 10))
    services.record_progress(
        project=project, actor=SYSTEM, date=D(year, 3, 1), progress_percent=100
    )
    project.refresh_from_db()
    return project


def accept(project, actor, day: datetime.date, number: str = "19/BB-NT"):
    return services.project_transition(
        project=project,
        kind=EventKind.ACCEPT,
        effective_date=day,
        actor=actor,
        document_number=number,
    )


# --------------------------------------------------------------------------- lookup by date


def test_without_a_rule_the_national_table_applies(x):
    rules = procedure.procedure_on(x.pk, D(2019, 7, 1))
    assert all(rule.is_national for rule in rules.values())
    assert rules[ProcedureStep.ACCEPT].roles == {Role.SYSTEM_ADMIN, Role.DEPARTMENT_LEADER}
    assert rules[ProcedureStep.IMPLEMENT].roles == {Role.SYSTEM_ADMIN, Role.CENTRE_STAFF}


def test_every_lifecycle_step_but_the_import_baseline_belongs_to_one_procedure_step():
    from khuyencong.projects.lifecycle import BASELINE, TRANSITIONS

    kinds = {row.kind for row in TRANSITIONS} - {BASELINE}
    assert kinds | {procedure.PROGRESS} == set(procedure.STEP_OF)


def test_the_rule_in_force_is_the_latest_on_or_before_the_day(x):
    """Hypothesis: whatever the days asked, the rule is the latest change on or before it
    (an oracle over the changes made), the national default before the first one."""
    changes = [
        (D(2018, 1, 1), frozenset({Role.DEPARTMENT_LEADER}), 30),
        (D(2019, 6, 1), frozenset({Role.CENTRE_STAFF}), None),
        (D(2019, 6, 1), frozenset({Role.CENTRE_STAFF, Role.DISTRICT_OFFICER}), 15),  # replaces
        (D(2021, 3, 15), frozenset({Role.DEPARTMENT_LEADER, Role.CENTRE_STAFF}), 45),
    ]
    for day, chosen, deadline in changes:
        procedure.save_procedure(
            SYSTEM,
            x,
            valid_from=day,
            steps={ProcedureStep.ACCEPT: StepInput(roles=chosen, deadline_days=deadline)},
        )
    in_force = {day: (chosen, deadline) for day, chosen, deadline in changes}  # last one wins

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dates(min_value=D(2016, 1, 1), max_value=D(2023, 12, 31)))
    def check(day):
        rule = procedure.rule_for(x.pk, ProcedureStep.ACCEPT, day)
        earlier = [start for start in in_force if start <= day]
        if not earlier:
            assert rule.is_national
            return
        chosen, deadline = in_force[max(earlier)]
        assert rule.valid_from == max(earlier)
        assert rule.roles == chosen
        assert rule.deadline_days == deadline

    check()
    # the replaced row of the same day is kept, archived (the history shows it)
    assert ProvinceProcedureStep.objects.filter(province=x).count() == 4
    assert ProvinceProcedureStep.objects.archived().filter(province=x).count() == 1


def test_a_change_writes_a_row_for_the_changed_steps_only(x):
    """The edit form sends every step as it stands (the national roles without the system
    administrator, who always may): only the step that changes gets a row."""
    rules = procedure.procedure_on(x.pk, CHANGE)
    steps = {step: StepInput(roles=rule.roles - procedure.ALWAYS) for step, rule in rules.items()}
    steps[ProcedureStep.ACCEPT] = StepInput(
        roles=frozenset({Role.CENTRE_STAFF, Role.DEPARTMENT_LEADER}), deadline_days=15
    )
    [row] = procedure.save_procedure(SYSTEM, x, valid_from=CHANGE, steps=steps)
    assert row.step == ProcedureStep.ACCEPT
    with pytest.raises(Refused) as refused:
        procedure.save_procedure(SYSTEM, x, valid_from=CHANGE, steps=steps)
    assert refused.value.code == "empty"


def test_a_change_never_rewrites_the_rules_of_past_dates(x):
    centre_accepts(x)
    with pytest.raises(Refused) as refused:
        centre_accepts(x, D(2019, 5, 31))
    assert refused.value.code == "valid_from"
    with pytest.raises(Refused) as refused:
        centre_accepts(x, D(2019, 7, 1))  # the same rule again
    assert refused.value.code == "empty"


@pytest.mark.parametrize(
    "given, code",
    [
        (StepInput(roles=frozenset()), "roles"),
        (StepInput(roles=frozenset({Role.BENEFICIARY})), "roles"),
        (StepInput(roles=frozenset({"nobody"})), "roles"),
        (StepInput(roles=frozenset({Role.CENTRE_STAFF}), deadline_days=0), "deadline"),
        (StepInput(roles=frozenset({Role.CENTRE_STAFF}), deadline_days=99_999), "deadline"),
    ],
)
def test_hostile_procedure_input_is_refused_and_changes_nothing(x, given, code):
    with pytest.raises(Refused) as refused:
        procedure.save_procedure(SYSTEM, x, valid_from=CHANGE, steps={ProcedureStep.ACCEPT: given})
    assert refused.value.code == code
    assert not ProvinceProcedureStep.objects.exists()


def test_only_province_administrators_leaders_and_system_administrators_change_it(x, y):
    steps = {ProcedureStep.ACCEPT: StepInput(roles=frozenset({Role.CENTRE_STAFF}))}
    for role in (Role.CENTRE_STAFF, Role.DISTRICT_OFFICER, Role.NATIONAL_AGENCY):
        with pytest.raises(Refused):
            procedure.save_procedure(pf.user(role, province=x), x, valid_from=CHANGE, steps=steps)
    with pytest.raises(Refused):  # another province's administrator
        procedure.save_procedure(
            pf.user(Role.PROVINCE_ADMIN, province=y), x, valid_from=CHANGE, steps=steps
        )
    admin = pf.user(Role.PROVINCE_ADMIN, province=x)
    [row] = procedure.save_procedure(admin, x, valid_from=CHANGE, steps=steps, notes="QĐ 7")
    from khuyencong.trust.models import AuditEntry

    entry = AuditEntry.objects.for_object(row).get()
    assert entry.user == admin  # audited: who, and why
    assert "QĐ 7" in entry.reason


# --------------------------------------------------------------------------- the check


def test_centre_staff_accept_where_the_province_lets_them_and_not_elsewhere(x, y):
    centre_accepts(x)
    project_x, project_y = in_progress(x), in_progress(y)
    staff_x = pf.user(Role.CENTRE_STAFF, province=x)
    staff_y = pf.user(Role.CENTRE_STAFF, province=y)
    event = accept(project_x, staff_x, D(2019, 6, 20))
    assert event.actor == staff_x and project_x.status == Status.ACCEPTED
    with translation.override("vi"), pytest.raises(Refused) as refused:
        accept(project_y, staff_y, D(2019, 6, 20))
    assert refused.value.code == "permission"
    assert "Lãnh đạo Sở Công Thương" in refused.value.message  # who can do it, in Vietnamese
    assert "Cán bộ Trung tâm" not in refused.value.message
    project_y.refresh_from_db()
    assert (
        project_y.status == Status.IN_PROGRESS
        and not project_y.events.filter(kind=EventKind.ACCEPT).exists()
    )
    # the department leader keeps the national right in Y; in X as the rule names it
    accept(project_y, pf.user(Role.DEPARTMENT_LEADER, province=y), D(2019, 6, 20))


def test_the_rule_of_the_step_s_date_decides(x):
    centre_accepts(x)
    project = in_progress(x)
    staff = pf.user(Role.CENTRE_STAFF, province=x)
    with pytest.raises(Refused) as refused:
        accept(project, staff, D(2019, 5, 31))  # before the change: the national rule
    assert refused.value.code == "permission"
    accept(project, staff, CHANGE)


def test_national_fund_projects_keep_the_national_rules(x):
    centre_accepts(x)
    project = in_progress(x, source="national")
    with pytest.raises(Refused) as refused:
        accept(project, pf.user(Role.CENTRE_STAFF, province=x), D(2019, 6, 20))
    assert refused.value.code == "permission"
    assert not procedure.document_kinds(project, D(2019, 6, 20))


def test_a_rule_of_province_x_does_not_open_province_y_to_x_s_staff(x, y):
    centre_accepts(x)
    project_y = in_progress(y)
    with pytest.raises(Refused) as refused:
        accept(project_y, pf.user(Role.CENTRE_STAFF, province=x), D(2019, 6, 20))
    assert refused.value.code == "permission"


def test_the_merged_province_s_rule_governs_its_legacy_provinces_projects():
    tuyen_quang = province(Era.CURRENT, "Tuyên Quang")
    ha_giang = province(Era.LEGACY, "Hà Giang")
    procedure.save_procedure(
        SYSTEM,
        tuyen_quang,
        valid_from=D(2019, 1, 1),
        steps={ProcedureStep.ACCEPT: StepInput(roles=frozenset({Role.CENTRE_STAFF}))},
    )
    project = in_progress(ha_giang)
    rule = procedure.rule_for(project.province_id, ProcedureStep.ACCEPT, D(2019, 6, 1))
    assert rule.roles == {Role.CENTRE_STAFF}
    accept(project, pf.user(Role.CENTRE_STAFF, province=tuyen_quang), D(2019, 6, 20))


def test_progress_follows_the_implementation_step_s_rule(x):
    procedure.save_procedure(
        SYSTEM,
        x,
        valid_from=D(2019, 1, 1),
        steps={ProcedureStep.IMPLEMENT: StepInput(roles=frozenset({Role.DEPARTMENT_LEADER}))},
    )
    plan = pf.make_plan(year=2019, unit=x)
    project = pf.make_project(plan, place=commune_of(x))
    pf.walk(project, Status.CONTRACTED, D(2019, 1, 10))
    with pytest.raises(Refused):
        services.record_progress(
            project=project,
            actor=pf.user(Role.CENTRE_STAFF, province=x),
            date=D(2019, 3, 1),
            progress_percent=20,
        )
    services.record_progress(
        project=project,
        actor=pf.user(Role.DEPARTMENT_LEADER, province=x),
        date=D(2019, 3, 1),
        progress_percent=20,
    )
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS  # the "work started" step, by the same rule


# --------------------------------------------------------------------------- documents, history


def test_an_acceptance_before_the_change_keeps_the_rule_of_its_date(x):
    """X's centre alone accepts from 1 June; a leader's acceptance of May stays valid: its
    history passes the rules again when a later payment is annulled."""
    accepted, later = in_progress(x), in_progress(x)
    leader = pf.user(Role.DEPARTMENT_LEADER, province=x)
    accept(accepted, leader, D(2019, 5, 10))
    services.record_progress(
        project=accepted,
        actor=SYSTEM,
        date=D(2019, 5, 20),
        progress_percent=100,
        disbursed_amount=10_000_000,
        disbursement_kind="payment",
    )
    procedure.save_procedure(
        SYSTEM,
        x,
        valid_from=CHANGE,
        steps={ProcedureStep.ACCEPT: StepInput(roles=frozenset({Role.CENTRE_STAFF}))},
    )
    with pytest.raises(Refused) as refused:
        accept(later, leader, D(2019, 6, 10))  # after the change: no longer the leader's
    assert refused.value.code == "permission"
    accept(later, pf.user(Role.CENTRE_STAFF, province=x), D(2019, 6, 10))
    accepted.refresh_from_db()
    payment = accepted.progress_updates.get(disbursed_amount=10_000_000)
    services.annul_progress(
        project=accepted,
        progress_update=payment,
        actor=leader,
        reason="Ghi trùng",
        expected_version=accepted.version,
    )
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert accepted.events.get(kind=EventKind.ACCEPT).actor == leader


def test_a_required_document_applies_from_its_date(x):
    early, late = in_progress(x), in_progress(x)
    services.project_transition(  # no document: none was required on 2 May
        project=early,
        kind=EventKind.UNDER_REVIEW,
        effective_date=D(2019, 5, 2),
        actor=SYSTEM,
        reason="Xem xét điều chỉnh",
    )
    procedure.save_procedure(
        SYSTEM,
        x,
        valid_from=CHANGE,
        steps={
            ProcedureStep.REQUEST: StepInput(
                roles=frozenset({Role.CENTRE_STAFF}), document_required=True
            )
        },
    )
    note = {
        "kind": EventKind.UNDER_REVIEW,
        "effective_date": D(2019, 6, 5),
        "actor": SYSTEM,
        "reason": "Xem xét điều chỉnh",
    }
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_transition(project=late, **note)
    assert refused.value.code == "province_document"
    assert "quy trình" in refused.value.message.lower()
    services.project_transition(project=late, document_number="5/CV-TT", **note)
    # the early note keeps the rule of its date: annulling the later acceptance replays it
    leader = pf.user(Role.DEPARTMENT_LEADER, province=x)
    accept(early, leader, D(2019, 6, 10))
    early.refresh_from_db()
    services.annul_event(
        project=early,
        event=early.events.get(kind=EventKind.ACCEPT),
        actor=leader,
        reason="Ghi nhầm",
        expected_version=early.version,
    )
    early.refresh_from_db()
    assert early.status == Status.IN_PROGRESS


def test_the_step_form_requires_the_number_the_province_requires(x):
    from khuyencong.projects.forms import TransitionForm
    from khuyencong.projects.lifecycle import BY_KIND
    from khuyencong.projects.selectors import state_of

    procedure.save_procedure(
        SYSTEM,
        x,
        valid_from=D(2019, 1, 1),
        steps={
            ProcedureStep.REQUEST: StepInput(
                roles=frozenset({Role.CENTRE_STAFF}), document_required=True
            )
        },
    )
    project = in_progress(x)
    form = TransitionForm(
        project=project, row=BY_KIND[EventKind.UNDER_REVIEW], state=state_of(project)
    )
    assert form.fields["document_number"].required


# --------------------------------------------------------------------------- API and import


def test_the_api_follows_the_province_s_rule(x, y):
    from tests.api.conftest import ApiClient, token_for

    centre_accepts(x)
    project_x, project_y = in_progress(x), in_progress(y)
    body = {"kind": "accept", "effective_date": "2019-06-20", "document_number": "19/BB-NT"}
    api_x = ApiClient(token_for(pf.user(Role.CENTRE_STAFF, province=x)))
    api_y = ApiClient(token_for(pf.user(Role.CENTRE_STAFF, province=y)))
    refused = api_y.post(f"/projects/{project_y.pk}/events", body | {"version": project_y.version})
    assert refused.status_code == 403, refused.content
    assert refused.json()["detail"][0]["type"] == "permission"
    done = api_x.post(f"/projects/{project_x.pk}/events", body | {"version": project_x.version})
    assert done.status_code == 201, done.content
    assert done.json()["project"]["status"] == Status.ACCEPTED


def test_the_progress_import_follows_the_province_s_rule(x):
    from khuyencong.projects.models import ProgressUpdate
    from khuyencong.spreadsheets.pipeline import run
    from khuyencong.spreadsheets.pipeline_projects import ProgressImporter
    from tests.imports.test_date_rule_import import progress_sheet

    procedure.save_procedure(
        SYSTEM,
        x,
        valid_from=D(2019, 1, 1),
        steps={ProcedureStep.IMPLEMENT: StepInput(roles=frozenset({Role.DEPARTMENT_LEADER}))},
    )
    plan = pf.make_plan(year=2019, unit=x)
    project = pf.make_project(plan, code="LS-NK-1", place=commune_of(x))
    pf.walk(project, Status.CONTRACTED, D(2019, 1, 10))
    rows = [["LS-NK-1", "01/03/2019", 30, "", ""]]
    staff = pf.user(Role.CENTRE_STAFF, province=x)
    with translation.override("vi"):
        report = run(ProgressImporter(staff), progress_sheet(rows), commit=True)
    assert [p["row"] for p in report.errors] == [2]
    assert "Lãnh đạo Sở Công Thương" in report.errors[0]["message"]
    assert not ProgressUpdate.objects.filter(project=project).exists()
