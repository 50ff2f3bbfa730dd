"""Admin for the reports: template versions (upload a new DOCX; archive a version to fall back
to the previous one), each scope's report settings, and saved reports (read only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.core.admin import NoDeleteAdmin, WorkflowAdmin
from khuyencong.reports.models import ReportSettings, ReportTemplate, SavedReport, SignoffStep


@admin.register(ReportTemplate)
class ReportTemplateAdmin(NoDeleteAdmin):
    list_display = ("version", "notes", "uploaded_by", "created_at", "archived_at", "in_use")
    readonly_fields = ("version", "uploaded_by", "created_at", "current_template")
    fields = ("file", "notes", "version", "uploaded_by", "created_at", "current_template")

    @admin.display(description=_("in use"), boolean=True)
    def in_use(self, obj: ReportTemplate) -> bool:
        current = ReportTemplate.current()
        return current is not None and current.pk == obj.pk

    @admin.display(description=_("template in use"))
    def current_template(self, obj: ReportTemplate | None) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("reports:template"),
            gettext("Download the template in use (to edit it in Word)"),
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version is not edited in place: upload a new one (the old one stays for the
        # reports generated with it).
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: ReportTemplate, form: Any, change: bool
    ) -> None:
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReportSettings)
class ReportSettingsAdmin(NoDeleteAdmin):
    list_display = ("__str__", "symbol", "signer_position", "signer_name", "archived_at")
    autocomplete_fields = ()
    raw_id_fields = ("province",)


class SignoffStepInline(admin.TabularInline):
    """The sign-off history (append-only: shown, never added or changed here)."""

    model = SignoffStep
    extra = 0
    fields = ("recorded_at", "step", "from_status", "to_status", "actor", "number", "day", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SavedReport)
class SavedReportAdmin(WorkflowAdmin):
    list_display = (
        "__str__",
        "as_of",
        "number",
        "status",
        "author",
        "state",
        "created_at",
        "archived_at",
    )
    list_filter = ("status", "state", "period", "year")
    readonly_fields = [field.name for field in SavedReport._meta.fields]
    inlines = [SignoffStepInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # a saved report says what it said: it is archived, never edited; its sign-off goes
        # through the report's page (an issued one is locked by the model too)
        return False
