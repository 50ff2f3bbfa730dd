from django.contrib import admin

from khuyencong.catalog.models import (
    BeneficiaryKind,
    ContentArea,
    FundingSource,
    Industry,
    LegalBasis,
)
from khuyencong.core.admin import AuditTrailAdmin, NoDeleteMixin


class CatalogAdmin(NoDeleteMixin, AuditTrailAdmin):
    list_display = ["code", "name", "name_en", "valid_from", "valid_to", "confirmed", "archived_at"]
    list_filter = ["confirmed", "is_active"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["version", "archived_at", "created_at", "updated_at"]
    ordering = ["sort_order", "code"]


@admin.register(FundingSource)
class FundingSourceAdmin(CatalogAdmin):
    list_display = ["code", "short_name", *CatalogAdmin.list_display[1:]]


@admin.register(BeneficiaryKind)
class BeneficiaryKindAdmin(CatalogAdmin):
    list_display = ["code", "short_name", "tax_code_required", *CatalogAdmin.list_display[1:]]


@admin.register(Industry)
class IndustryAdmin(CatalogAdmin):
    list_select_related = ["legal_basis"]
    list_display = [*CatalogAdmin.list_display, "legal_basis", "article"]


@admin.register(ContentArea)
class ContentAreaAdmin(CatalogAdmin):
    list_select_related = ["parent", "legal_basis"]
    list_display = ["code", "parent", *CatalogAdmin.list_display[1:], "article"]
    list_filter = ["parent", *CatalogAdmin.list_filter]


@admin.register(LegalBasis)
class LegalBasisAdmin(NoDeleteMixin, AuditTrailAdmin):
    list_display = ["code", "doc_type", "number", "issued_on", "valid_from", "confirmed"]
    list_filter = ["confirmed", "doc_type"]
    search_fields = ["code", "number", "title"]
    readonly_fields = ["version", "archived_at", "created_at", "updated_at"]
