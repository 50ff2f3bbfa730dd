"""Admin for the rule rows (an administrator edits them; history keeps every change) and a
read-only view of registrations."""

from __future__ import annotations

from django.contrib import admin

from khuyencong.core.admin import AuditTrailAdmin, NoDeleteMixin, WorkflowAdmin
from khuyencong.registrations import models


# Rule rows are archived (``archived_at``), never deleted: a past screening cites them.
class RuleAdmin(NoDeleteMixin, AuditTrailAdmin):
    list_filter = ("confirmed",)
    readonly_fields = ("seed_key",)


class LocationInline(NoDeleteMixin, admin.TabularInline):
    model = models.LocationRule
    extra = 0
    exclude = ("archived_at", "version", "seed_key")


class ConditionInline(NoDeleteMixin, admin.TabularInline):
    model = models.RuleCondition
    extra = 0
    fk_name = "rule_set"
    fields = (
        "condition",
        "content_area",
        "industry",
        "parameter",
        "outcome_if_unmet",
        "legal_basis",
        "article",
        "confirmed",
    )


@admin.register(models.EligibilityRuleSet)
class EligibilityRuleSetAdmin(RuleAdmin):
    list_display = (
        "code",
        "name",
        "funding_source",
        "province",
        "valid_from",
        "valid_to",
        "confirmed",
    )
    filter_horizontal = (
        "beneficiary_kinds",
        "industries",
        "content_areas",
        "cleaner_production_areas",
    )
    inlines = [LocationInline, ConditionInline]


@admin.register(models.SupportLevelRule)
class SupportLevelRuleAdmin(RuleAdmin):
    list_display = (
        "content_area",
        "funding_source",
        "province",
        "percent",
        "cap",
        "unit",
        "valid_from",
        "valid_to",
        "legal_basis",
        "confirmed",
    )
    list_filter = ("confirmed", "funding_source", "legal_basis")


@admin.register(models.SupportUpliftRule)
class SupportUpliftRuleAdmin(RuleAdmin):
    list_display = (
        "condition",
        "multiplier",
        "funding_source",
        "content_area",
        "valid_from",
        "valid_to",
        "confirmed",
    )


@admin.register(models.ExcludedProduct)
class ExcludedProductAdmin(RuleAdmin):
    list_display = ("code", "name", "outcome", "confirmed")


@admin.register(models.PriorityCriterion)
class PriorityCriterionAdmin(RuleAdmin):
    list_display = ("code", "group", "name", "points", "threshold", "confirmed")


@admin.register(models.AppraisalCriterion)
class AppraisalCriterionAdmin(RuleAdmin):
    list_display = ("code", "name", "max_points", "sort_order", "confirmed")


@admin.register(models.Registration)
class RegistrationAdmin(WorkflowAdmin):  # registrations go through the services
    list_display = ("code", "title", "target_year", "funding_source", "status")
    list_filter = ("target_year", "funding_source", "status")
    search_fields = ("code", "search_text")
    readonly_fields = [f.name for f in models.Registration._meta.fields]
