"""Admin for the administrative units: read-mostly (the loader owns the data)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from khuyencong.core.admin import NoDeleteMixin
from khuyencong.core.search import search
from khuyencong.places.models import AdminUnit, AdminUnitSuccession


class NormalizedSearchMixin:
    """Admin search through accent-insensitive ``search_text`` columns (any of them)."""

    search_paths = ["search_text"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        matches = [search(queryset, search_term, path) for path in self.search_paths]
        result = matches[0]
        for other in matches[1:]:
            result = result | other
        return result, False


class SuccessionInline(NoDeleteMixin, admin.TabularInline):
    model = AdminUnitSuccession
    fk_name = "predecessor"
    extra = 0
    raw_id_fields = ["successor"]
    fields = ["successor", "is_default", "effective_date"]
    verbose_name_plural = AdminUnitSuccession._meta.verbose_name_plural

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("successor__parent__parent")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdminUnit)
class AdminUnitAdmin(NoDeleteMixin, NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "parent", "level", "era", "valid_from", "valid_to"]
    list_filter = ["era", "level", "unit_type"]
    list_select_related = ["parent__parent"]
    search_fields = ["search_text"]  # shows the box; get_search_results does the work
    raw_id_fields = ["parent", "province"]
    readonly_fields = ["era", "level", "code", "key", "short_key", "search_text"]
    ordering = ["era", "code"]
    inlines = [SuccessionInline]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the package: manage.py load_admin_units


@admin.register(AdminUnitSuccession)
class AdminUnitSuccessionAdmin(NoDeleteMixin, NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["predecessor", "successor", "is_default", "effective_date"]
    list_filter = ["is_default", "predecessor__level", "predecessor__era"]
    list_select_related = ["predecessor__parent__parent", "successor__parent__parent"]
    search_fields = ["predecessor__search_text"]
    search_paths = ["predecessor__search_text", "successor__search_text"]
    raw_id_fields = ["predecessor", "successor"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
