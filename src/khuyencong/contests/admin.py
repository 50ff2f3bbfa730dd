"""Admin for the product vote: the dated rules and product groups are edited here (or on the
rules page); contests, entries, scores and certificates are shown read-only (they change only
through the services, which keep the rules of the vote)."""

from __future__ import annotations

from django.contrib import admin

from khuyencong.contests import models
from khuyencong.core.admin import NoDeleteAdmin, NoDeleteMixin, WorkflowAdmin


class RuleAdmin(NoDeleteAdmin):
    list_display = ("__str__", "valid_from", "valid_to", "confirmed")
    list_filter = ("confirmed",)


for rule in (
    models.JurySizeRule,
    models.ThresholdRule,
    models.CertificateValidityRule,
    models.ComplaintRule,
):
    admin.site.register(rule, RuleAdmin)


# A score sheet's groups and criteria are cited by the score cards: never deleted.
class CriterionInline(NoDeleteMixin, admin.TabularInline):
    model = models.Criterion
    extra = 0

    def has_change_permission(self, request, obj=None):
        group = obj
        return super().has_change_permission(request, obj) and not (
            group is not None and group.sheet.in_use
        )


@admin.register(models.CriterionGroup)
class CriterionGroupAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("sheet", "code", "name", "order")
    list_filter = ("sheet",)
    inlines = [CriterionInline]


class CriterionGroupInline(NoDeleteMixin, admin.TabularInline):
    model = models.CriterionGroup
    extra = 0
    show_change_link = True


@admin.register(models.ScoreSheet)
class ScoreSheetAdmin(RuleAdmin):
    inlines = [CriterionGroupInline]


@admin.register(models.ProductGroup)
class ProductGroupAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "sort_order", "is_active", "confirmed")
    search_fields = ("code", "name")


class ReadOnlyAdmin(WorkflowAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "year", "status")
    list_filter = ("level", "status", "year")
    search_fields = ("name",)


@admin.register(models.Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("product_name", "beneficiary", "contest", "eligibility", "average_score")
    list_filter = ("eligibility", "contest")
    search_fields = ("product_name", "beneficiary__name")


@admin.register(models.Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "product_name", "beneficiary", "issued_on", "valid_until")
    search_fields = ("number", "product_name")
