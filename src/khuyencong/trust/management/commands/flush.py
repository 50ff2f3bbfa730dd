"""Django's ``flush`` (it empties every table: the tests' flush runs it too), allowed to
empty the audit trail, whose triggers refuse any other DELETE/TRUNCATE (``chain.erasable``)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from khuyencong.trust.chain import erasable


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with erasable(options["database"]):
            super().handle(**options)
