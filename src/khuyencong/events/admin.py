from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.events.models import Event, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("kind", "name", "unit", "district", "has_booth")
    raw_id_fields = ("district",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # participants are archived, never deleted


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "start_date", "status", "province")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("place", "project")
    inlines = [ParticipantInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # events are archived, never deleted
