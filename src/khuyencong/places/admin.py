"""Admin for the administrative units: read-mostly (the loader owns the data)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.admin import NoDeleteMixin
from khuyencong.core.search import search
from khuyencong.places.history import UnitHistoryError, load_unit_history
from khuyencong.places.models import AdminUnit, AdminUnitSuccession

MAX_HISTORY_BYTES = 5 * 1024 * 1024


class UnitHistoryForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file (UTF-8)"),
        help_text=gettext_lazy(
            "Columns: code, name, type, parent_code, valid_from, valid_to, successor_codes."
        ),
    )


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

    change_list_template = "admin/places/adminunit/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the package: manage.py load_admin_units

    def get_urls(self) -> list[URLPattern]:
        # not "history" (the admin's per-object history page, the audit trail's own name)
        upload = path(
            "load-dated-units/",
            self.admin_site.admin_view(self.load_dated_units_view),
            name="places_adminunit_load_dated_units",
        )
        return [upload, *super().get_urls()]

    def load_dated_units_view(self, request: HttpRequest) -> HttpResponse:
        """Upload dated historical units (``places.history``): all rows or none."""
        if not request.user.is_superuser:
            raise PermissionDenied
        form = UnitHistoryForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_HISTORY_BYTES:
                    raise UnitHistoryError([_("The file is larger than 5 MB.")])
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError as error:
                    raise UnitHistoryError([_("The file is not UTF-8 text.")]) from error
                stats = load_unit_history(text)
            except UnitHistoryError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _(
                        "Units: %(created)s created, %(updated)s updated; successions: "
                        "%(s_created)s created, %(s_updated)s updated."
                    )
                    % {
                        "created": stats.created,
                        "updated": stats.updated,
                        "s_created": stats.successions_created,
                        "s_updated": stats.successions_updated,
                    },
                )
                return HttpResponseRedirect(reverse("admin:places_adminunit_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Load historical administrative units (CSV)"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "admin/places/adminunit/history.html", context)


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
