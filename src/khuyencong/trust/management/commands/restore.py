"""``manage.py restore FILE.tar.gz``: restore a backup into an empty, migrated instance
(refuses one that has users or files), then check every count and checksum."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from khuyencong.trust.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by 'backup' into an empty instance (same version, migrated)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        try:
            with open(archive, "rb") as source:
                manifest = restore(source)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        self.stdout.write(
            f"{archive}: restored and verified {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files"
        )
