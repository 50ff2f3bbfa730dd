from __future__ import annotations

from django.contrib import admin

from khuyencong.core.admin import AuditTrailAdmin, NoDeleteMixin
from khuyencong.events.models import Event, Participant


class ParticipantInline(NoDeleteMixin, admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("kind", "name", "unit", "district", "has_booth")
    raw_id_fields = ("district",)


@admin.register(Event)
class EventAdmin(NoDeleteMixin, AuditTrailAdmin):
    list_display = ("title", "kind", "start_date", "status", "province")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("place", "project")
    inlines = [ParticipantInline]
