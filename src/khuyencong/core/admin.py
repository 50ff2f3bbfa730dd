"""The admin base of domain records (archived and restored, never deleted) and core's own."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import PublicHoliday

# Fields only a record's services write: its place in a workflow (status, state, phase,
# eligibility…), its optimistic version and its archive mark (the archive/restore actions).
# The admin shows them and never writes them: editing a status here would skip the rules,
# the events and the audit reasons the services keep.
SERVICE_FIELD_NAMES = frozenset(
    {"status", "state", "phase", "eligibility", "version", "archived_at"}
)
SERVICE_FIELD_SUFFIXES = ("_status", "_state")


def service_fields(model: Any) -> list[str]:
    """The fields of ``model`` that only its services write (by the names above)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name in SERVICE_FIELD_NAMES or field.name.endswith(SERVICE_FIELD_SUFFIXES)
    ]


class NoDeleteMixin:
    """For any admin class or inline of domain records: archived, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceFieldsReadOnlyMixin:
    """For any admin class or inline: the fields only services write are read-only."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        model = self.model  # type: ignore[attr-defined]
        return fields + [name for name in service_fields(model) if name not in fields]


class AuditTrailAdmin(ServiceFieldsReadOnlyMixin, admin.ModelAdmin):
    """The admin's "History" of a record is the record's page of the audit trail (one trail;
    no history to revert to: there is no "Revert" in this admin)."""

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        content_type = ContentType.objects.get_for_model(self.model)
        # by URL name: the audit pages belong to the trust app, above core
        return redirect("trust:history", content_type.pk, object_id)


class NoDeleteAdmin(NoDeleteMixin, AuditTrailAdmin):
    """Domain records are archived, never deleted (archive/restore as admin actions)."""

    @admin.action(description=_("Archive the selected rows"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset:
            row.archive()
        self.message_user(request, gettext("Archived."), messages.SUCCESS)

    @admin.action(description=_("Restore the selected rows"), permissions=["change"])
    def restore(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset:
            row.restore()
        self.message_user(request, gettext("Restored."), messages.SUCCESS)

    actions = ["archive", "restore"]


class WorkflowAdmin(NoDeleteAdmin):
    """A record that services move through a workflow (registrations, events, contests…):
    shown here, never created, moved or deleted here. Its status and the other service
    fields are read-only (``service_fields``; more in ``readonly_fields``); it is archived
    and restored, never deleted; it is created only through its service."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PublicHoliday)
class PublicHolidayAdmin(NoDeleteAdmin):
    list_display = ("date", "name", "kind", "confirmed")
    list_filter = ("kind", "confirmed")
    date_hierarchy = "date"
    search_fields = ("name",)
