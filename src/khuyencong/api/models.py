"""API tokens: created and revoked by their user, shown once, stored hashed.

A token reads ``kc_<prefix>_<secret>``. The prefix (8 characters) finds the row; only the
SHA-256 of the secret is stored (the secret is 256 random bits, so a fast hash is enough: there
is nothing to brute-force). A revoked token is kept (who had what, and when) but refused.

A token expires ``API_TOKEN_LIFETIME_DAYS`` (90 by default) after it is created; a read-only
token may only read (``scope``). Its user's password change or deactivation revokes it
(``api.signals``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kc"
_ALPHABET = string.ascii_lowercase + string.digits


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def default_expiry() -> Any:
    return timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


# Methods a read-only token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def usable(self) -> ApiTokenQuerySet:
        return self.unrevoked().filter(user__is_active=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,  # users are deactivated, never deleted; tokens are kept
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry, editable=False)
    scope = models.CharField(
        _("access"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}_{self.prefix}_…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ

    def allows(self, method: str) -> bool:
        """Whether the token's scope allows an HTTP ``method``."""
        return not self.read_only or method.upper() in READ_METHODS

    @classmethod
    def issue(
        cls, *, user: object, name: str, scope: str = TokenScope.WRITE
    ) -> tuple[ApiToken, str]:
        """A new token for ``user``: (the row, the full token to show once)."""
        prefix = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        while cls.objects.filter(prefix=prefix).exists():  # pragma: no cover - 36^8 space
            prefix = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=prefix, secret_hash=hash_secret(secret), scope=scope
        )
        return token, f"{TOKEN_PREFIX}_{prefix}_{secret}"

    @classmethod
    def matching(cls, raw: str) -> ApiToken | None:
        """The token ``raw`` names, usable or not (constant-time comparison of the hash)."""
        parts = (raw or "").strip().split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
            return None
        token = cls.objects.select_related("user").filter(prefix=parts[1][:12]).first()
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(parts[2])):
            return None
        return token

    @property
    def refusal(self) -> str:
        """Why the token may not be used ("" when it may)."""
        if self.is_revoked:
            return str(_("This API token was revoked: create a new one."))
        if not self.user.is_active:
            return str(_("The account of this API token is deactivated."))
        if self.is_expired:
            return str(
                _("This API token expired on %(date)s: create a new one.")
                % {"date": timezone.localtime(self.expires_at).strftime("%d/%m/%Y")}
            )
        return ""

    @classmethod
    def authenticate(cls, raw: str) -> ApiToken | None:
        """The usable token matching ``raw``, or None."""
        token = cls.matching(raw)
        if token is None or token.refusal:
            return None
        token.touch()
        return token

    def touch(self) -> None:
        """Record the use, at most once a minute: a busy client does not write on every
        request."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self, reason: str = "") -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            if reason:
                self._change_reason = reason  # the audit trail's "why"
            self.save(update_fields=["revoked_at"])


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` a client sent with a POST that creates money, and the answer it
    got: the same key from the same user and token with the same request gets that answer
    again and writes nothing (a retry after a lost response never pays twice).

    Kept ``KEEP`` (then removed by ``manage.py prune_idempotency_keys``); a technical row, not
    a domain record. The unique constraints are what stops two concurrent requests with one key
    from both writing: the second insert waits for the first transaction, then fails.
    """

    KEEP = datetime.timedelta(hours=24)
    audit_exempt = "a retry guard kept 24 hours: the write it guards is audited itself"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,  # users are deactivated, never deleted
        related_name="+",
    )
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("API token"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # None: the browser session; tokens are revoked, kept
        related_name="+",
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response = models.JSONField(_("response"), encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token", "key"],
                condition=models.Q(token__isnull=False),
                name="idempotency_key_once_per_token",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(token__isnull=True),
                name="idempotency_key_once_per_session_user",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def expired(cls, now: datetime.datetime | None = None) -> models.QuerySet[IdempotencyKey]:
        return cls.objects.filter(created_at__lt=(now or timezone.now()) - cls.KEEP)


def revoke_tokens_of(user: Any, reason: str) -> int:
    """Revoke every token of ``user`` not yet revoked (one audited save each)."""
    tokens = list(ApiToken.objects.unrevoked().filter(user=user))
    for token in tokens:
        token.revoke(reason)
    return len(tokens)
