"""The audit trail: one append-only row per change to a record, whatever the app.

Rows are written by ``trust.recording`` (signal receivers) inside the transaction that makes
the change, so a rolled-back change leaves no audit row. They can't be edited or deleted
through the app: ``save`` refuses an existing row, ``delete`` and queryset updates/deletes
raise, the admin is read-only, and database triggers refuse UPDATE and DELETE (``chain``).
Each row is sealed in a hash chain as it is inserted (``appending``): ``manage.py
audit_verify`` shows a row changed or removed behind the app's back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.trust import chain


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

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        entries = list(objs)
        if not entries:
            return entries
        using = self.db
        with transaction.atomic(using=using, savepoint=False):
            link(entries, using=using)
            return super().bulk_create(entries, *args, **kwargs)

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
    # the hash chain (``chain``): the previous entry's hash and this entry's
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

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
        constraints = [
            # every row is sealed, whichever way it was inserted (raw SQL included)
            models.CheckConstraint(
                condition=~models.Q(hash="") & ~models.Q(prev_hash=""),
                name="auditentry_chained",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditRowImmutable("Audit rows cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            link([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditRowImmutable("Audit rows cannot be deleted.")


HEAD_PK = 1


class AuditChainHead(models.Model):
    """The hash of the audit trail's last entry, in one row: appending locks it (so
    concurrent writers take turns and never fork the chain) and moves it on, in the
    transaction that inserts the entries; ``audit_verify`` compares it with the last entry
    (a cut-off tail shows)."""

    last_hash = models.CharField(_("last hash"), max_length=64)

    audit_exempt = "the audit trail's own bookkeeping"

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash


def _locked_head(using: str) -> AuditChainHead:
    heads = AuditChainHead.objects.using(using).select_for_update()
    head = heads.filter(pk=HEAD_PK).first()
    if head is None:
        # no head yet (a database just flushed): the chain goes on from its last entry
        last = (
            AuditEntry.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
        )
        AuditChainHead.objects.using(using).bulk_create(
            [AuditChainHead(pk=HEAD_PK, last_hash=last or chain.GENESIS)], ignore_conflicts=True
        )
        head = heads.get(pk=HEAD_PK)
    return head


@contextmanager
def appending(using: str = DEFAULT_DB_ALIAS) -> Iterator[Callable[[str], tuple[str, str]]]:
    """``seal(content) -> (prev_hash, hash)`` for the entries about to be inserted, in their
    order (``content``: an entry's ``chain.canonical`` form). Use it inside the transaction
    that inserts them, and insert them in that order: the head stays locked until that
    transaction ends. (SQLite: the IMMEDIATE transactions of the settings already serialise
    writers.)"""
    with transaction.atomic(using=using, savepoint=False):
        last = [_locked_head(using).last_hash]

        def seal(content: str) -> tuple[str, str]:
            previous = last[0]
            last[0] = chain.hash_of(previous, content)
            return previous, last[0]

        yield seal
        AuditChainHead.objects.using(using).filter(pk=HEAD_PK).update(last_hash=last[0])


def link(entries: Iterable[AuditEntry], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Seal unsaved entries (in the order they will be inserted)."""
    with appending(using) as seal:
        for entry in entries:
            entry.prev_hash, entry.hash = seal(chain.canonical(chain.values_of(entry)))


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where the chain does not hold (``entry_id`` None: the head)."""

    entry_id: int | None
    problem: str


VERIFY_BATCH = 2000


def verify_chain(using: str = DEFAULT_DB_ALIAS) -> tuple[int, ChainBreak | None]:
    """Recompute the chain in id order: (entries checked, the first break or None).

    An entry whose hash is not that of its content was changed; one whose ``prev_hash`` is
    not its predecessor's hash follows a removed, inserted or changed entry; a head that is
    not the last entry's hash follows a removed tail.
    """
    fields = ("id", "prev_hash", "hash", *chain.CHAINED_FIELDS)
    previous, last_id, count = chain.GENESIS, 0, 0
    rows = AuditEntry.objects.using(using).order_by("id")
    while True:
        batch = list(rows.filter(id__gt=last_id).values(*fields)[:VERIFY_BATCH])
        if not batch:
            break
        for row in batch:
            count += 1
            if row["prev_hash"] != previous:
                return count, ChainBreak(
                    row["id"],
                    "its previous hash is not the hash of the entry before it: an entry "
                    "before it was removed, inserted or changed",
                )
            if chain.entry_hash(row["prev_hash"], row) != row["hash"]:
                return count, ChainBreak(
                    row["id"], "its content does not match its hash: the entry was changed"
                )
            previous = row["hash"]
        last_id = batch[-1]["id"]
    head = AuditChainHead.objects.using(using).filter(pk=HEAD_PK).first()
    if head is None and count:
        return count, ChainBreak(None, "the chain's head is missing")
    if head is not None and head.last_hash != previous:
        return count, ChainBreak(
            None,
            "the chain's head is not the hash of the last entry: entries at the end were "
            "removed (or the head was changed)",
        )
    return count, None
