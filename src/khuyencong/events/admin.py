from __future__ import annotations

from django.contrib import admin

from khuyencong.core.admin import NoDeleteMixin, WorkflowAdmin
from khuyencong.events.models import Event, Participant


class ParticipantInline(NoDeleteMixin, admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("kind", "name", "unit", "district", "has_booth")
    raw_id_fields = ("district",)


@admin.register(Event)
class EventAdmin(WorkflowAdmin):
    list_display = ("title", "kind", "start_date", "status", "province")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("place", "project")
    readonly_fields = ("province", "district")  # copied from the place on every save
    inlines = [ParticipantInline]
