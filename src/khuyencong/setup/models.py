"""Invitations: a one-time link that lets an invited person set their own password.

Only a hash of the token is stored (the link is shown once, or sent by e-mail); the link works
once (``accepted_at``) and until ``expires_at``. The invited user exists from the invitation
on, inactive and without a usable password, so their role and scope are checked when they are
invited, not when they accept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import DomainModel


class Invitation(DomainModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited user"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    sent_to = models.EmailField(_("sent to"), blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.archived_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def scope_province_id(self) -> int | None:
        return self.user.province_id
