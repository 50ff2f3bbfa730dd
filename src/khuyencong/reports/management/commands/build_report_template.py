"""Rebuilds the DOCX report template from khuyencong.reports.docx_template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from khuyencong.reports.docx_template import TEMPLATE_PATH, write_template


class Command(BaseCommand):
    help = "Rebuild reports/templates/reports/report.docx (the DOCX report template)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", type=Path, default=TEMPLATE_PATH)

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        path = write_template(output)
        self.stdout.write(f"Wrote {path}")
