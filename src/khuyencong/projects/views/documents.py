"""Upload a document to a project (``services.add_document``: typed, size and real file type
checked by ``core.uploads``); downloads go through ``pages.document_download``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from khuyencong.projects import services
from khuyencong.projects.forms import DocumentForm
from khuyencong.projects.services import Refused, VersionConflict
from khuyencong.projects.views.common import (
    ProjectFormView,
    conflict_message,
    keep_input_with_version,
    refusal_field,
)


class DocumentCreateView(ProjectFormView):
    template_name = "projects/document_form.html"
    form_class = DocumentForm
    action_permission = "projects.documents"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def form_valid(self, form: DocumentForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            document = services.add_document(
                project=self.project,
                actor=self.request.user,
                doc_type=data["doc_type"],
                title=data["title"],
                file=data["file"],
                number=data.get("number", ""),
                date=data.get("date"),
                event=data.get("event"),
                expected_version=data["expected_version"],
            )
        except VersionConflict as conflict:
            form.add_error(None, conflict_message(conflict.current))
            keep_input_with_version(form, conflict.current.version)
            self.reload_project()
            return self.form_invalid(form)
        except Refused as refused:
            form.add_error(refusal_field(form, refused.code), refused.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Document attached: %(title)s") % {"title": document.title}
        )
        return redirect("projects:detail", self.project.pk)
