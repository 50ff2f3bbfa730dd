"""Checking an uploaded DOCX report template before it is used: it must be a Word document
(by its bytes, not its name) and render the sample report without a template error."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from khuyencong.core.uploads import check_upload
from khuyencong.reports.render import render_docx
from khuyencong.reports.samples import seed_report_2018


def template_problem(file: Any) -> str | None:
    """None when ``file`` can be used as the report template, else why not (translated)."""
    try:
        found = check_upload(file)
    except ValidationError as error:
        return " ".join(error.messages)
    if found.extension != "docx":
        return _("The template must be a Word document (.docx).")

    file.seek(0)
    content = io.BytesIO(file.read())
    file.seek(0)
    try:
        render_docx(seed_report_2018(), template=content)
    except Exception as error:  # docxtpl/Jinja raise many kinds; any means unusable
        return _("The template cannot produce a report: %(error)s") % {"error": error}
    return None
