"""Issue 18, item 7: the Django admin cannot move a record through its workflow.

The review reverted a registration's history in the admin (submitted → draft, its event gone,
its version set back). The history tables are gone; these tests prove no revert URL is left,
that a status posted through an admin change form is ignored, that deletes are refused, and,
for every model registered in the admin (and every inline), that a status-like field is
read-only: a new model is covered without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLResolver, reverse

from khuyencong.accounts.models import Role
from khuyencong.core.models import DomainModel
from khuyencong.events.models import EventStatus
from khuyencong.registrations.models import Status as RegistrationStatus
from tests.events import factories as ef
from tests.projects import factories as pf
from tests.registrations import factories as rf

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def status_like(model: Any) -> list[str]:
    """Fields that say where a record stands in a workflow (named independently of core)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if "status" in field.name
        or "state" in field.name
        or field.name in {"phase", "eligibility", "version", "archived_at"}
    ]


@pytest.fixture
def superuser(db):
    user = pf.user(Role.SYSTEM_ADMIN)
    assert user.is_superuser and user.is_staff
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser, backend=BACKEND)
    return client


def admin_request(user) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _routes(patterns: list, prefix: str = "") -> list[str]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            routes.append(f"{prefix}{pattern.pattern} {pattern.name or ''}")
    return routes


def test_no_admin_url_reverts_a_history():
    assert "simple_history" not in settings.INSTALLED_APPS
    routes = _routes(admin.site.get_urls())
    assert routes  # the walk found the admin's URLs
    assert not [route for route in routes if "revert" in route.lower()]
    # a model's "history" is one page (the audit trail), never a page per past version
    history = [route for route in routes if "history" in route]
    assert history and all(route.count("<") == 1 for route in history), history
    for model_admin in admin.site._registry.values():
        modules = {klass.__module__ for klass in type(model_admin).__mro__}
        assert not any(module.startswith("simple_history") for module in modules)


def test_a_registration_history_in_the_admin_is_the_audit_trail(admin_client):
    registration = rf.submitted()
    response = admin_client.get(
        reverse("admin:registrations_registration_history", args=[registration.pk])
    )
    assert response.status_code == 302
    assert "/audit/" in response["Location"]


def test_a_registration_status_posted_through_the_admin_is_unchanged(admin_client):
    registration = rf.submitted()
    version = registration.version
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    admin_client.post(url, {"status": RegistrationStatus.DRAFT, "version": 1, "_save": "Save"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.version == version


def change_form_data(response) -> dict[str, Any]:
    """What the admin change form would post as it was drawn (main form and inlines)."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = value if isinstance(value, list) else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_an_event_status_posted_through_the_admin_change_form_is_unchanged(admin_client):
    event = ef.event(status=EventStatus.PLANNED)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    data.update(status=EventStatus.HELD, title="Đổi tên qua trang quản trị", _save="Save")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title == "Đổi tên qua trang quản trị"  # the post was taken …
    assert event.status == EventStatus.PLANNED  # … but not its status


def test_a_workflow_record_is_not_added_through_the_admin(admin_client):
    assert admin_client.get(reverse("admin:events_event_add")).status_code == 403
    assert admin_client.get(reverse("admin:registrations_registration_add")).status_code == 403


def test_a_delete_through_the_admin_is_refused(admin_client):
    registration = rf.submitted()
    url = reverse("admin:registrations_registration_delete", args=[registration.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    event = ef.event()
    changelist = reverse("admin:events_event_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert type(registration).objects.filter(pk=registration.pk).exists()
    assert type(event).objects.filter(pk=event.pk).exists()


def _admins(superuser):
    """Every registered admin and each of its inlines, with its model."""
    request = admin_request(superuser)
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin, request
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline, request


def test_every_domain_record_in_the_admin_is_never_deleted(superuser):
    for model, model_admin, request in _admins(superuser):
        if not issubclass(model, DomainModel):
            continue
        may_delete = model_admin.has_delete_permission(request) and getattr(
            model_admin, "can_delete", True
        )
        assert not may_delete, f"{model._meta.label}: delete allowed by {type(model_admin)}"


def test_every_status_like_field_in_the_admin_is_read_only(superuser):
    checked = set()
    for model, model_admin, request in _admins(superuser):
        fields = status_like(model)
        if not fields or not model_admin.has_change_permission(request):
            continue
        readonly = set(model_admin.get_readonly_fields(request))
        form_fields = (
            set(model_admin.get_form(request).base_fields)
            if hasattr(model_admin, "get_form")
            else set(model_admin.get_formset(request).form.base_fields)
        )
        writable = [name for name in fields if name in form_fields and name not in readonly]
        assert not writable, f"{model._meta.label}: {writable} editable in the admin"
        checked.add(model._meta.label)
    assert "events.Event" in checked  # the check ran on a model with a status
