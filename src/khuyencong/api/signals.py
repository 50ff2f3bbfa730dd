"""A user's API tokens are revoked when their password changes or they are deactivated:
whoever does it (password page, admin, a command), it goes through ``User.save``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from khuyencong.api.models import revoke_tokens_of


@receiver(post_save, sender=get_user_model(), dispatch_uid="api-revoke-tokens")
def revoke_on_password_change_or_deactivation(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created or raw:
        return
    # ``set_password`` keeps the new password in ``_password`` until the save is done
    if getattr(instance, "_password", None) is not None:
        revoke_tokens_of(instance, "password changed")
    elif not instance.is_active:
        revoke_tokens_of(instance, "user deactivated")
