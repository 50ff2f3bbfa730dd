"""The audit trail: every create, update, transition, archive and restore of a record is
recorded with who, when, what changed (old → new) and from where; the log is filterable and
scoped; each record's history is permission-checked through the record's own scope; audit
rows cannot be changed."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.projects import services
from khuyencong.projects.models import EventKind, Project, ProjectEvent
from khuyencong.trust.models import AuditAction, AuditEntry, AuditRowImmutable, AuditSource
from khuyencong.trust.recording import audited_models, exempt_reason
from tests.trust.conftest import client_for

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return AuditEntry.objects.for_object(obj).order_by("id")


def change(entry, field):
    return next(c for c in entry.changes if c["field"] == field)


def test_a_web_edit_records_who_when_what_and_from_where(world):
    beneficiary = world.obj("beneficiary", "A")
    client = client_for(world, "leader_a")
    page = client.get(reverse("beneficiaries:edit", args=[beneficiary.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["representative"] = "Bà Nguyễn Thị Mới"
    started = datetime.datetime.now(datetime.UTC)
    response = client.post(reverse("beneficiaries:edit", args=[beneficiary.pk]), data)
    assert response.status_code == 302
    entry = entries_for(beneficiary).last()
    assert entry.action == AuditAction.UPDATE
    assert entry.user == world.users["leader_a"]
    assert entry.user_label == "trust-leader-a"
    assert entry.at >= started
    assert entry.ip_address == "203.0.113.7"
    assert entry.user_agent == "trust-tests"
    assert entry.source == AuditSource.WEB
    assert entry.request_path == reverse("beneficiaries:edit", args=[beneficiary.pk])
    assert entry.province_id == world.sides["A"].province.pk
    assert change(entry, "representative") == {
        "field": "representative",
        "old": "Ông KQZALPHABENEFICIARYX",
        "new": "Bà Nguyễn Thị Mới",
    }
    assert {c["field"] for c in entry.changes} == {"representative"}


def test_create_archive_and_restore_are_recorded(world):
    beneficiary = world.obj("beneficiary", "A2")
    created = entries_for(beneficiary).first()
    assert created.action == AuditAction.CREATE
    assert change(created, "name")["new"] == "HTX KQZGAMMABENEFICIARYX"
    assert created.source == AuditSource.SYSTEM and created.ip_address is None
    client = client_for(world, "leader_a")
    client.post(reverse("beneficiaries:archive", args=[beneficiary.pk]))
    client.post(reverse("beneficiaries:restore", args=[beneficiary.pk]))
    actions = list(entries_for(beneficiary).values_list("action", flat=True))
    assert actions == [AuditAction.CREATE, AuditAction.ARCHIVE, AuditAction.RESTORE]


def test_a_transition_is_recorded_with_its_actor_and_status_change(world):
    project = world.obj("project", "A")
    actor = world.users["leader_a"]
    services.project_transition(
        project=project,
        kind=EventKind.APPRAISE,
        effective_date=datetime.date(2016, 2, 1),
        actor=actor,
        document_number="5/TĐ",
    )
    entry = entries_for(project).last()
    assert entry.action == AuditAction.TRANSITION
    assert entry.user == actor
    assert change(entry, "status") == {"field": "status", "old": "registered", "new": "appraised"}
    assert entry.reason.startswith("event 2")
    event = ProjectEvent.objects.get(project=project, sequence=2)
    event_entry = entries_for(event).get()
    assert event_entry.action == AuditAction.CREATE and event_entry.user == actor
    assert event_entry.province_id == project.province_id


def test_every_model_of_the_project_is_audited_or_says_why_not():
    groups = audited_models()
    for label in ("projects.Project", "beneficiaries.Beneficiary", "projects.ProjectEvent"):
        assert label in groups["audited"]
    assert "accounts.User" in groups["audited"]
    # derived tables the services rewrite with every record: their rows are no record
    assert {"projects.StatePeriod", "projects.PlanTally"} <= set(groups["exempt"])
    from django.apps import apps

    for label in groups["exempt"]:
        assert exempt_reason(apps.get_model(label)), f"{label} is not audited: say why"


def test_audit_rows_cannot_be_changed_or_deleted(world):
    entry = entries_for(world.obj("beneficiary", "A")).first()
    entry.reason = "tampered"
    with pytest.raises(AuditRowImmutable):
        entry.save()
    with pytest.raises(AuditRowImmutable):
        entry.delete()
    with pytest.raises(AuditRowImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tampered")
    with pytest.raises(AuditRowImmutable):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE trust_auditentry SET reason = 'tampered' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == ""


def test_the_admin_cannot_change_audit_rows(world):
    entry = entries_for(world.obj("beneficiary", "A")).first()
    admin = client_for(world, "admin")
    change_url = reverse("admin:trust_auditentry_change", args=[entry.pk])
    assert admin.get(change_url).status_code == 200  # read-only view
    admin.post(change_url, {"reason": "tampered"})
    assert admin.get(reverse("admin:trust_auditentry_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_the_log_is_scoped_to_the_department_leaders_province(world):
    world.make_all()
    # the world makes more rows than a page holds: look at the projects' rows, then at all
    projects = {"content_type": ContentType.objects.get_for_model(Project).pk}
    leader_a = client_for(world, "leader_a").get(reverse("trust:log"), projects).content.decode()
    assert "KQZALPHAPROJECTX" in leader_a and "KQZGAMMAPROJECTX" in leader_a
    leader_b = client_for(world, "leader_b").get(reverse("trust:log"), projects).content.decode()
    assert "KQZBETAPROJECTX" in leader_b and "KQZALPHA" not in leader_b
    for page in range(1, 30):
        response = client_for(world, "leader_a").get(reverse("trust:log"), {"page": page})
        if response.status_code == 404:
            break
        assert "KQZBETA" not in response.content.decode()
    assert client_for(world, "centre_staff").get(reverse("trust:log")).status_code == 403


def test_the_log_filters_by_record_type_user_dates_and_province(world):
    world.make_all()
    client = client_for(world, "admin")
    url = reverse("trust:log")
    project_type = ContentType.objects.get_for_model(Project).pk
    by_type = client.get(url, {"content_type": project_type})
    assert {row.entry.content_type_id for row in by_type.context["rows"]} == {project_type}
    beneficiary = world.obj("beneficiary", "A")
    client_for(world, "leader_a").post(reverse("beneficiaries:archive", args=[beneficiary.pk]))
    by_user = client.get(url, {"user": "leader-a"}).context["rows"]
    assert [row.entry.object_repr for row in by_user] == [str(beneficiary)]
    today = datetime.date.today()
    assert (
        client.get(url, {"date_to": str(today - datetime.timedelta(days=1))}).context["rows"] == []
    )
    assert client.get(url, {"date_from": str(today)}).context["paginator"].count > 0
    province_b = world.sides["B"].province.pk
    rows = client.get(url, {"province": province_b}).context["rows"]
    assert rows and all(row.entry.province_id == province_b for row in rows)
    searched = client.get(url, {"q": "kqzgammaplanx"}).context["rows"]
    assert searched and all("KQZGAMMAPLANX" in row.entry.object_repr for row in searched)


def test_record_history_page_follows_the_records_own_scope(world):
    project = world.obj("project", "A")
    services.project_transition(
        project=project,
        kind=EventKind.APPRAISE,
        effective_date=datetime.date(2016, 2, 1),
        actor=world.users["leader_a"],
    )
    content_type = ContentType.objects.get_for_model(Project).pk
    url = reverse("trust:history", args=[content_type, project.pk])
    page = client_for(world, "district_officer").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "trust-leader-a" in text and "203.0.113.7" not in text  # no IP for non-auditors
    assert client_for(world, "leader_b").get(url).status_code == 404
    assert client_for(world, "beneficiary").get(url).status_code == 403
    assert client_for(world, "anonymous").get(url).status_code == 302
    rows = client_for(world, "admin").get(url).context["rows"]
    assert [row.entry.action for row in rows] == [AuditAction.TRANSITION, AuditAction.CREATE]
    assert any(c.label == "Trạng thái" and c.new == "Đã thẩm định" for c in rows[0].changes)


def test_history_link_include_shows_only_to_those_allowed(world, rf):
    from django.template import Context, Template

    project = world.obj("project", "A")
    template = Template('{% include "trust/_history_link.html" with record=project %}')
    for role, shown in (("leader_a", True), ("leader_b", False), ("beneficiary", False)):
        request = rf.get("/")
        request.user = world.users[role]
        html = template.render(Context({"project": project, "request": request}))
        assert ("/audit/history/" in html) is shown, role


def test_a_rolled_back_change_leaves_no_audit_row(world):
    beneficiary = world.obj("beneficiary", "A")
    before = AuditEntry.objects.count()
    with transaction.atomic():
        savepoint = transaction.savepoint()
        beneficiary.notes = "changed"
        beneficiary.save()
        assert AuditEntry.objects.count() == before + 1
        transaction.savepoint_rollback(savepoint)
    assert AuditEntry.objects.count() == before
    assert Beneficiary.objects.get(pk=beneficiary.pk).notes == ""


def test_the_log_page_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    world.make_all()
    client = client_for(world, "admin")
    client.get(reverse("trust:log"))  # warm the content-type cache
    assert AuditEntry.objects.count() > 30
    with django_assert_max_num_queries(16):
        response = client.get(reverse("trust:log"))
    assert len(response.context["rows"]) == min(50, AuditEntry.objects.count())


def test_the_beneficiary_page_links_to_its_history(world):
    beneficiary = world.obj("beneficiary", "A")
    url = reverse("beneficiaries:detail", args=[beneficiary.pk])
    assert "/audit/history/" in client_for(world, "leader_a").get(url).content.decode()
    assert "/audit/history/" not in client_for(world, "beneficiary").get(url).content.decode()


def test_creation_changes_of_rows_are_field_changes_of_the_records(world):
    """The bulk form (rows of values, for the spreadsheet import) gives what ``field_changes``
    gives for the same records: masked secrets, skipped empty values (0 and False too),
    fields missing from the row counted as unset."""
    from types import SimpleNamespace

    from khuyencong.accounts.models import User
    from khuyencong.trust.recording import creation_changes, field_changes

    records = [
        (Beneficiary, world.obj("beneficiary", "A")),
        (User, User(username="moi", password="bí mật", is_active=False, first_name="Á")),
        (User, User(username="khac", password="", is_staff=True, last_name="")),
    ]
    for model, record in records:
        attnames = [field.attname for field in model._meta.concrete_fields]
        row = [getattr(record, attname) for attname in attnames]
        expected = field_changes(model, None, record, creating=True)
        assert creation_changes(model, attnames)(row) == expected != []
        fewer = [a for a in attnames if a not in ("name", "username")]  # left out: unset
        short = [getattr(record, attname) for attname in fewer]
        values = SimpleNamespace(**dict(zip(fewer, short, strict=True)))
        changes = creation_changes(model, fewer)(short)
        assert changes == field_changes(model, None, values, creating=True)
        assert len(changes) == len(expected) - 1
    masked = creation_changes(User, ["username", "password"])(["moi", "x"])
    assert {"field": "password", "old": None, "new": "••••••"} in masked
