from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.accounts.models import Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "scope_level", "province"]
    list_filter = ["role", "scope_level", "is_active"]
    raw_id_fields = ["province", "district", "beneficiary", "organisation"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (
                    "role",
                    "scope_level",
                    "province",
                    "district",
                    "organisation",
                    "beneficiary",
                    "phone",
                )
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["province", "parent"]
