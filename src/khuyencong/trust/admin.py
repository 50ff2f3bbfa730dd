from django.contrib import admin

from khuyencong.trust.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be changed, not even by administrators."""

    list_display = ("at", "user_label", "action", "content_type", "object_repr", "ip_address")
    list_filter = ("action", "source", "content_type")
    search_fields = ("object_repr", "user_label", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
