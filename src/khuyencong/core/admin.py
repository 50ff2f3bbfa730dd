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


class NoDeleteMixin:
    """For any admin class or inline of domain records: archived, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditTrailAdmin(admin.ModelAdmin):
    """The admin's "History" of a record is the record's page of the audit trail (one trail;
    no history to revert to)."""

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


@admin.register(PublicHoliday)
class PublicHolidayAdmin(NoDeleteAdmin):
    list_display = ("date", "name", "kind", "confirmed")
    list_filter = ("kind", "confirmed")
    date_hierarchy = "date"
    search_fields = ("name",)
