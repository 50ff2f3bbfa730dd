"""``manage.py backup -o FILE.tar.gz``: the whole database and the uploaded files in one
verified archive (see trust/backup.py and README.md, "Backups")."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.core.filemodes import open_private
from khuyencong.trust.backup import backup


class Command(BaseCommand):
    help = "Write the whole database and the uploaded files to one .tar.gz archive."

    def add_arguments(self, parser: Any) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        parser.add_argument("-o", "--output", default=f"khuyencong-backup-{stamp}.tar.gz")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        path = Path(output)
        partial = path.with_name(path.name + ".part")
        # 0600: the archive holds password hashes and two-factor secrets
        with open_private(partial) as target:
            manifest = backup(target)
        partial.replace(path)
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        self.stdout.write(
            f"{path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files"
        )
