"""No hard delete of domain records: every DomainModel refuses delete() (one row or a
queryset), the admin offers no delete, no foreign key cascades a deletion into domain
records, and archive/restore keep the row and record the change."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from khuyencong.core.models import DomainModel, HardDeleteError
from khuyencong.trust.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def domain_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if issubclass(m, DomainModel) and not m._meta.abstract and not m._meta.proxy
    ]


def test_there_are_domain_models():
    labels = {m._meta.label for m in domain_models()}
    assert {"projects.Project", "plans.Plan", "beneficiaries.Beneficiary"} <= labels


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_domain_records_refuse_deletion(model):
    with pytest.raises(HardDeleteError):
        model().delete()
    with pytest.raises(HardDeleteError):
        model.objects.all().delete()


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_the_admin_offers_no_delete(model, world):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all: nothing to delete with
    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    assert not model_admin.has_delete_permission(request), f"{model._meta.label}: admin deletes"


def test_no_foreign_key_cascades_into_domain_records():
    cascading = []
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("khuyencong."):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.remote_field.on_delete is models.CASCADE:
                cascading.append(f"{model._meta.label}.{field.name}")
    assert not cascading, f"use on_delete=PROTECT (records are archived): {cascading}"


def test_archive_and_restore_keep_the_row_and_are_recorded(world):
    project = world.obj("project", "A")
    project.archive()
    assert type(project).objects.filter(pk=project.pk).exists()
    assert type(project).objects.active().filter(pk=project.pk).count() == 0
    project.restore()
    assert type(project).objects.active().filter(pk=project.pk).exists()
    actions = list(
        AuditEntry.objects.for_object(project).order_by("id").values_list("action", flat=True)
    )
    assert actions[-2:] == [AuditAction.ARCHIVE, AuditAction.RESTORE]
