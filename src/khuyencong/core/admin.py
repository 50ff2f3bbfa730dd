from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.core.models import PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "name", "kind", "confirmed")
    list_filter = ("kind", "confirmed")
    date_hierarchy = "date"
    search_fields = ("name",)
