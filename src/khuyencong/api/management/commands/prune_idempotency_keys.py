"""``manage.py prune_idempotency_keys``: remove the API's ``Idempotency-Key`` rows older than
``IdempotencyKey.KEEP`` (24 hours). Each keyed request also removes its own user's old keys;
run this daily (cron, see docs/deploy.md) so that keys of users who stopped calling go too."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.api.models import IdempotencyKey


class Command(BaseCommand):
    help = "Remove the API's idempotency keys older than 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        removed, _by_model = IdempotencyKey.expired().delete()
        self.stdout.write(f"{removed} idempotency keys removed")
