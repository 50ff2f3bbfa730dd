from django.contrib import admin

from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.core.admin import AuditTrailAdmin, NoDeleteMixin


@admin.register(Beneficiary)
class BeneficiaryAdmin(NoDeleteMixin, AuditTrailAdmin):
    list_display = ["name", "kind", "tax_code", "commune", "province", "archived_at"]
    list_filter = ["kind", "industry"]
    list_select_related = ["kind", "commune__parent__parent", "province"]
    search_fields = ["name", "tax_code", "search_text"]
    raw_id_fields = ["commune"]
    readonly_fields = ["province", "district", "version", "archived_at", "created_at"]
