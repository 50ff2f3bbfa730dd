"""The audit trail: one append-only row per change to a record, whatever the app.

Rows are written by ``trust.recording`` (signal receivers) inside the transaction that makes
the change, so a rolled-back change leaves no audit row. They can't be edited or deleted
through the app: ``save`` refuses an existing row, ``delete`` and queryset updates/deletes
raise, the admin is read-only, and a database trigger refuses UPDATE (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditRowImmutable(Exception):
    pass


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    TRANSITION = "transition", _("Status changed")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")


class AuditSource(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    SYSTEM = "system", _("System (command or task)")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AuditRowImmutable("Audit rows cannot be changed.")

    def delete(self) -> Any:
        raise AuditRowImmutable("Audit rows cannot be deleted.")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """Who changed what (old → new), when, and from where."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # the foreign keys and the search text go without an index of their own: the (user, at),
    # (content type, object, at) and (province, at) indexes lead with the first three, and a
    # search (``contains``) is served by no B-tree; each index is work on every write
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    user_label = models.CharField(_("user name"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=AuditSource.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    request_path = models.CharField(_("page"), max_length=300, blank=True)
    # the API token a change came through: its prefix, which names the token row (the
    # secret is never stored)
    api_token = models.CharField(_("API token"), max_length=12, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(_("action"), max_length=12, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # the history-table row an entry mirrored, for entries written before the audit trail
    # became the one record of changes (the history tables are gone; kept as recorded)
    history_id = models.BigIntegerField(_("history row"), null=True, blank=True)
    # The record's scope when it changed (accounts.roles.scope_queryset filters on these).
    province = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    district = models.ForeignKey(
        "places.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    search_text = models.CharField(max_length=600, editable=False, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    audit_exempt = "the audit trail itself"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["province", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditRowImmutable("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditRowImmutable("Audit rows cannot be deleted.")
