"""DomainModel behaviour, on a concrete model (accounts.Organisation): optimistic versions,
no hard delete, archive/restore, every change in the audit trail with the acting user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel
from khuyencong.core.models import HardDeleteError, VersionConflict
from khuyencong.trust.models import AuditAction, AuditEntry
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def trail(record):
    """The record's audit entries, oldest first."""
    return AuditEntry.objects.for_object(record).order_by("at", "id")


def changed(entry, field):
    return next((c["old"], c["new"]) for c in entry.changes if c["field"] == field)


def test_versioned_save_bumps_the_version_and_records_the_change():
    organisation = OrganisationFactory(name="Trung tâm A")
    assert organisation.version == 1
    organisation.name = "Trung tâm B"
    organisation.save_versioned(expected_version=1)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("Trung tâm B", 2)
    created, updated = trail(organisation)
    assert (created.action, changed(created, "name")) == (AuditAction.CREATE, (None, "Trung tâm A"))
    assert (updated.action, updated.changes) == (
        AuditAction.UPDATE,
        [{"field": "name", "old": "Trung tâm A", "new": "Trung tâm B"}],
    )


def test_stale_versioned_save_raises_and_writes_nothing():
    organisation = OrganisationFactory(name="Trung tâm A")
    mine = Organisation.objects.get(pk=organisation.pk)
    theirs = Organisation.objects.get(pk=organisation.pk)
    theirs.name = "Trung tâm của người khác"
    theirs.save_versioned(expected_version=1)
    entries_before = trail(organisation).count()

    mine.name = "Trung tâm của tôi"
    with pytest.raises(VersionConflict) as conflict:
        mine.save_versioned(expected_version=1)

    assert conflict.value.current.name == "Trung tâm của người khác"
    assert conflict.value.current.version == 2
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.version) == ("Trung tâm của người khác", 2)
    assert trail(organisation).count() == entries_before
    assert mine.version == 1  # the caller's object keeps the version it read


def test_records_are_never_hard_deleted():
    organisation = OrganisationFactory()
    with pytest.raises(HardDeleteError):
        organisation.delete()
    with pytest.raises(HardDeleteError):
        Organisation.objects.filter(pk=organisation.pk).delete()
    with pytest.raises(HardDeleteError):
        Organisation.objects.all().delete()
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_archive_and_restore():
    kept, archived = OrganisationFactory(), OrganisationFactory()
    archived.archive()
    archived.refresh_from_db()
    assert archived.is_archived and archived.archived_at is not None
    assert set(Organisation.objects.active()) == {kept}
    assert set(Organisation.objects.archived()) == {archived}
    archived.restore()
    archived.refresh_from_db()
    assert not archived.is_archived
    assert set(Organisation.objects.active()) == {kept, archived}
    actions = [entry.action for entry in trail(archived)]
    assert actions == [AuditAction.CREATE, AuditAction.ARCHIVE, AuditAction.RESTORE]


def test_a_save_without_a_change_is_not_recorded_one_with_a_reason_is():
    organisation = OrganisationFactory()
    organisation.save()
    assert trail(organisation).count() == 1
    organisation._change_reason = "checked against the register"
    organisation.save()
    organisation.save()  # the reason was that save's only
    entries = list(trail(organisation))
    assert [(e.action, e.reason) for e in entries] == [
        (AuditAction.CREATE, ""),
        (AuditAction.UPDATE, "checked against the register"),
    ]


def test_a_save_of_some_fields_records_only_those():
    """Values changed in memory but not saved (``update_fields``) are not in the trail."""
    organisation = OrganisationFactory(name="Trung tâm E", address="")
    organisation.name = "Trung tâm G"
    organisation.address = "Số 1"
    organisation.save(update_fields=["address", "updated_at"])
    assert trail(organisation).last().changes == [{"field": "address", "old": "", "new": "Số 1"}]


def test_the_trail_records_the_user_in_code():
    user = UserFactory()
    organisation = Organisation(kind=OrganisationKind.CENTRE, name="Trung tâm C")
    organisation._history_user = user
    organisation.save()
    assert trail(organisation).get().user == user


def test_the_trail_records_the_user_and_origin_of_the_request(client):
    admin = UserFactory(role=Role.SYSTEM_ADMIN, scope_level=ScopeLevel.NATIONAL, province=None)
    organisation = OrganisationFactory(name="Trung tâm D")
    client.force_login(admin)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    response = client.post(
        url,
        {
            "kind": OrganisationKind.CENTRE,
            "name": "Trung tâm Đ",
            "short_name": "",
            "province": "",
            "parent": "",
            "address": "",
            "former_names-TOTAL_FORMS": "0",
            "former_names-INITIAL_FORMS": "0",
        },
        REMOTE_ADDR="198.51.100.4",
        HTTP_USER_AGENT="domain-tests",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = trail(organisation).last()
    assert changed(latest, "name") == ("Trung tâm D", "Trung tâm Đ")
    assert latest.user == admin
    assert (latest.ip_address, latest.user_agent) == ("198.51.100.4", "domain-tests")


def test_every_domain_model_is_audited_and_has_no_history_table():
    """One trail: the audit trail records every domain model; simple-history is gone."""
    from django.apps import apps
    from django.conf import settings

    from khuyencong.core.models import DomainModel
    from khuyencong.trust.recording import audited_models

    audited = set(audited_models()["audited"])
    domain_models = [
        m for m in apps.get_models() if issubclass(m, DomainModel) and not m._meta.abstract
    ]
    assert Organisation in domain_models
    for model in domain_models:
        assert model._meta.label in audited, model
        assert not hasattr(model, "history"), model
    assert not [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert "simple_history" not in settings.INSTALLED_APPS
