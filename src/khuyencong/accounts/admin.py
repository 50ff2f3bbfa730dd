"""Django admin for system administrators: users (role and scope) and organisations.

Only system administrators reach the admin (``User.save`` keeps ``is_staff``/``is_superuser``
in step with the role). Scope rules are validated by ``User.clean`` in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from khuyencong.accounts.models import Organisation, OrganisationName, User
from khuyencong.core.admin import AuditTrailAdmin, NoDeleteMixin
from khuyencong.places.models import AdminUnit, Era

admin.site.site_header = _("Industrial extension: administration")
admin.site.site_title = _("Industrial extension administration")
admin.site.index_title = _("Users, organisations and reference data")


def _province_label(unit: AdminUnit) -> str:
    era = _("until 30/6/2025") if unit.era == Era.LEGACY else _("from 1/7/2025")
    return f"{unit.name} ({era})"


def _district_label(unit: AdminUnit) -> str:
    return f"{unit.name}, {unit.parent.name}" if unit.parent is not None else unit.name


class AdminUnitChoicesMixin:
    """Province and district fields as short, labelled drop-downs instead of raw ids."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "province":
            kwargs["queryset"] = AdminUnit.objects.provinces().order_by("-era", "name")
        elif db_field.name == "district":
            kwargs["queryset"] = (
                AdminUnit.objects.districts().select_related("parent").order_by("province", "name")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name == "province":
            field.label_from_instance = _province_label
        elif db_field.name == "district":
            field.label_from_instance = _district_label
        return field


ROLE_FIELDS = (
    "role",
    "scope_level",
    "province",
    "district",
    "organisation",
    "beneficiary",
    "phone",
)


@admin.register(User)
class UserAdmin(AdminUnitChoicesMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "scope_level", "province", "is_active"]
    list_filter = ["role", "scope_level", "is_active"]
    list_select_related = ["province"]
    search_fields = ["username", "first_name", "last_name", "email"]
    raw_id_fields = ["beneficiary"]
    # Staff/superuser flags, groups and Django permissions are not edited here: the role
    # decides (accounts/roles.py).
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ROLE_FIELDS}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ROLE_FIELDS}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["deactivate", "activate"]

    @admin.display(description=_("full name"))
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # users are deactivated, never deleted: their actions stay attributed

    @admin.action(description=_("Deactivate the selected users"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=False)

    @admin.action(description=_("Activate the selected users"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_active(request, queryset, active=True)

    def _set_active(self, request: HttpRequest, queryset: QuerySet, *, active: bool) -> None:
        # one save per user (not ``update``): each change is audited and revokes the
        # deactivated user's API tokens (api's signal receiver)
        users = list(queryset.exclude(is_active=active))
        for user in users:
            user.is_active = active
            user.save(update_fields=["is_active"])
        count = len(users)
        if active:
            message = ngettext("%(count)d user activated.", "%(count)d users activated.", count)
        else:
            message = ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    fields = ["name", "valid_to", "note"]
    extra = 0
    can_delete = False  # domain records are never deleted


@admin.register(Organisation)
class OrganisationAdmin(NoDeleteMixin, AdminUnitChoicesMixin, AuditTrailAdmin):
    list_display = ["name", "kind", "province", "archived"]
    list_filter = ["kind"]
    list_select_related = ["province"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["parent"]
    inlines = [OrganisationNameInline]
    actions = ["archive", "restore"]

    @admin.display(boolean=True, description=_("archived"))
    def archived(self, organisation: Organisation) -> bool:
        return organisation.is_archived

    @admin.action(description=_("Archive the selected organisations"))
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        organisations = list(queryset.filter(archived_at__isnull=True))
        for organisation in organisations:
            organisation.archive()
        count = len(organisations)
        self.message_user(
            request,
            ngettext("%(count)d organisation archived.", "%(count)d organisations archived.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected organisations"))
    def restore(self, request: HttpRequest, queryset: QuerySet) -> None:
        organisations = list(queryset.filter(archived_at__isnull=False))
        for organisation in organisations:
            organisation.restore()
        count = len(organisations)
        self.message_user(
            request,
            ngettext("%(count)d organisation restored.", "%(count)d organisations restored.", count)
            % {"count": count},
            messages.SUCCESS,
        )
