"""DomainModel behaviour, on a concrete model (accounts.Organisation): optimistic versions,
no hard delete, archive/restore, history with the acting user."""

from __future__ import annotations

import pytest
from django.db import models
from django.urls import reverse

from khuyencong.accounts.models import Organisation, OrganisationKind, Role, ScopeLevel
from khuyencong.core.models import HardDeleteError, VersionConflict
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_versioned_save_bumps_the_version_and_records_history():
    organisation = OrganisationFactory(name="Trung tâm A")
    assert organisation.version == 1
    organisation.name = "Trung tâm B"
    organisation.save_versioned(expected_version=1)
    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("Trung tâm B", 2)
    assert [h.name for h in organisation.history.order_by("history_date")] == [
        "Trung tâm A",
        "Trung tâm B",
    ]


def test_stale_versioned_save_raises_and_writes_nothing():
    organisation = OrganisationFactory(name="Trung tâm A")
    mine = Organisation.objects.get(pk=organisation.pk)
    theirs = Organisation.objects.get(pk=organisation.pk)
    theirs.name = "Trung tâm của người khác"
    theirs.save_versioned(expected_version=1)
    history_before = organisation.history.count()

    mine.name = "Trung tâm của tôi"
    with pytest.raises(VersionConflict) as conflict:
        mine.save_versioned(expected_version=1)

    assert conflict.value.current.name == "Trung tâm của người khác"
    assert conflict.value.current.version == 2
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.version) == ("Trung tâm của người khác", 2)
    assert organisation.history.count() == history_before
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
    kinds = [h.history_type for h in archived.history.order_by("history_date")]
    assert kinds == ["+", "~", "~"]


def test_history_records_the_user_in_code():
    user = UserFactory()
    organisation = Organisation(kind=OrganisationKind.CENTRE, name="Trung tâm C")
    organisation._history_user = user
    organisation.save()
    assert organisation.history.get().history_user == user


def test_history_records_the_user_of_the_request(client):
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
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = organisation.history.latest("history_date")
    assert latest.name == "Trung tâm Đ"
    assert latest.history_user == admin


def test_every_domain_model_of_this_branch_keeps_history():
    from django.apps import apps

    from khuyencong.core.models import DomainModel

    domain_models = [
        m for m in apps.get_models() if issubclass(m, DomainModel) and not m._meta.abstract
    ]
    assert Organisation in domain_models
    for model in domain_models:
        assert isinstance(getattr(model, "history", None), models.Manager), model


def test_history_tables_index_the_record_id_and_nothing_they_copy():
    """History is read by record id: a history table keeps that index and its own (date,
    user), and none of the indexes of the columns it copies (foreign keys, search text…)."""
    from django.apps import apps
    from django.db import connection

    from khuyencong.beneficiaries.models import Beneficiary
    from khuyencong.core.models import DomainModel

    history = Beneficiary.history.model
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, history._meta.db_table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["primary_key"]}
    assert ("id",) in indexed and ("history_id",) in indexed
    assert not {("province_id",), ("commune_id",), ("search_text",), ("tax_code",)} & indexed
    for model in apps.get_models():
        if issubclass(model, DomainModel) and not model._meta.abstract:
            copied = [
                f
                for f in model.history.model._meta.concrete_fields
                if f.name not in ("id", "history_id", "history_date", "history_user")
            ]
            assert not [f.name for f in copied if f.db_index], model  # fmt: skip
