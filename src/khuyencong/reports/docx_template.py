"""The report's DOCX template (templates/reports/report.docx), built by
``documents.docx_template.build_template`` and committed: ``manage.py build_report_template``
rewrites it, and a test checks that the committed file matches what is built."""

from __future__ import annotations

from pathlib import Path

from khuyencong.documents.docx_template import build_template

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "reports" / "report.docx"


def write_template(path: Path = TEMPLATE_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_template().save(str(path))
    return path
