"""Checking an uploaded DOCX report template before it is used: it must be a Word document
(by its bytes, not its name) and render the sample report without a template error. The
rendering is the sandboxed one of every document (``documents.docx_sandbox``): a template
using anything a document template may not (calls, private attributes, filters outside the
allow-list …) is refused before any of it runs, and one going past the limits is stopped."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jinja2.exceptions import SecurityError

from khuyencong.core.uploads import check_upload
from khuyencong.documents.docx_sandbox import TemplateRefused, TemplateTooCostly
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
    except (TemplateRefused, TemplateTooCostly) as error:  # found by the sandbox, in words
        return _("The template was refused for safety reasons: %(error)s") % {"error": error}
    except SecurityError:  # Jinja's sandbox stopped an attribute at run time
        return _("The template was refused for safety reasons: %(error)s") % {
            "error": _("it reaches an internal attribute of the data.")
        }
    except Exception as error:  # docxtpl/Jinja raise many kinds; any means unusable
        return _("The template cannot produce a report: %(error)s") % {"error": error}
    return None
