"""Projects and group projects' participants in the admin: shown, never written here.

Every write on a project or a participant goes through its service (``projects.services``,
``projects.groups``: rules, locks, versions, tallies), so these pages are read-only; the
pages and the API are where they change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from khuyencong.core.admin import WorkflowAdmin
from khuyencong.projects.models import GroupMember, Project


class ReadOnlyWorkflowAdmin(WorkflowAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in self.model._meta.concrete_fields]


@admin.register(Project)
class ProjectAdmin(ReadOnlyWorkflowAdmin):
    list_display = ("code", "title", "kind", "group_size", "allocation", "status", "province")
    list_filter = ("kind", "status")
    search_fields = ("code", "title")
    list_select_related = ("allocation__plan", "province")


@admin.register(GroupMember)
class GroupMemberAdmin(ReadOnlyWorkflowAdmin):
    list_display = (
        "project",
        "beneficiary",
        "support_amount",
        "decision_number",
        "joined_on",
        "left_on",
    )
    search_fields = ("project__code", "beneficiary__name", "decision_number")
    list_select_related = ("project", "beneficiary")
