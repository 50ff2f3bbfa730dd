"""Plans and allocation batches in the admin: shown, searched, archived and restored; never
created, changed or deleted here. Their rules (one main plan per province, source and year; a
period of one to ten years; ceilings never below what projects hold; batches only on national
plans) live in ``projects.plan_services``, which the plan pages and the API call."""

from __future__ import annotations

from django.contrib import admin

from khuyencong.core.admin import NoDeleteMixin, WorkflowAdmin
from khuyencong.plans.models import Allocation, Plan, PlanVersion


class PlanVersionInline(NoDeleteMixin, admin.TabularInline):
    """The plan's decisions, in order: read here, recorded on the plan's page."""

    model = PlanVersion
    extra = 0
    fields = (
        "number",
        "kind",
        "decision_number",
        "decision_date",
        "issuer",
        "effective_date",
        "ceiling",
        "reason",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class AllocationInline(NoDeleteMixin, admin.TabularInline):
    model = Allocation
    extra = 0
    fields = ("batch", "document_kind", "document_number", "document_date", "issuer", "amount")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Plan)
class PlanAdmin(WorkflowAdmin):  # plans go through projects.plan_services
    list_display = (
        "title",
        "province",
        "year",
        "end_year",
        "kind",
        "funding_source",
        "status",
        "decision_number",
    )
    list_filter = ("kind", "status", "funding_source", "year")
    search_fields = ("search_text", "decision_number")
    readonly_fields = [field.name for field in Plan._meta.fields]
    inlines = [PlanVersionInline, AllocationInline]


@admin.register(Allocation)
class AllocationAdmin(WorkflowAdmin):  # batches go through plan_services.record_allocation
    list_display = (
        "plan",
        "batch",
        "document_kind",
        "document_number",
        "document_date",
        "issuer",
        "amount",
    )
    list_filter = ("document_kind", "plan__year", "plan__funding_source")
    search_fields = ("document_number", "issuer", "plan__search_text")
    readonly_fields = [field.name for field in Allocation._meta.fields]
    list_select_related = ("plan",)
