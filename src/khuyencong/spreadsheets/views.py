"""Import pages: upload a file, watch the check, see every row's problems, choose between
ambiguous places, commit. Thin: the pipeline and the tasks do the work."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts import roles
from khuyencong.core.forms import StyledForm
from khuyencong.core.uploads import UnsafeContent, download_response
from khuyencong.documents.export import XLSX
from khuyencong.documents.xlsx_reader import EXTENSIONS, content_matches
from khuyencong.spreadsheets.models import ImportJob, ImportKind, JobStatus
from khuyencong.spreadsheets.tasks import check_import, commit_import, recover_stale_jobs
from khuyencong.spreadsheets.template import build_template

PERMISSION = {kind: f"imports.{kind}" for kind in ImportKind.values}
OCTETS = "application/octet-stream"
CONTENT_TYPES = {
    ".xlsx": XLSX,
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def allowed_kinds(user: Any) -> list[tuple[str, str]]:
    return [
        (v, label) for v, label in ImportKind.choices if roles.has_permission(user, PERMISSION[v])
    ]


class UploadForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Excel (.xlsx, .xls) or OpenDocument (.ods), from the template."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = allowed_kinds(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name.lower()).suffix
        if suffix not in EXTENSIONS:
            raise forms.ValidationError(_("Upload an .xlsx, .xls or .ods file."))
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is too large: at most %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_FILE_SIZE // (1024 * 1024)}
            )
        try:
            matches = content_matches(upload, suffix)
        except UnsafeContent:
            raise forms.ValidationError(
                _("The file contains macros or is damaged: save it as .xlsx without macros."),
                code="file_unsafe",
            ) from None
        if not matches:
            raise forms.ValidationError(
                _("The file's content is not a %(ext)s spreadsheet.") % {"ext": suffix},
                code="file_content",
            )
        return upload


@login_required
def index(request: HttpRequest) -> HttpResponse:
    kinds = allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("Your role does not allow this action."))
    recover_stale_jobs()
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            user=request.user,
            kind=form.cleaned_data["kind"],
            file=upload,
            original_name=upload.name[:255],
        )
        check_import.enqueue(job.pk)
        return redirect("spreadsheets:job", job.pk)
    context = {
        "form": form,
        "kinds": kinds,
        "jobs": ImportJob.objects.filter(user=request.user)[:20],
        "max_rows": settings.IMPORT_MAX_ROWS,
        "max_mb": settings.IMPORT_MAX_FILE_SIZE // (1024 * 1024),
    }
    return render(request, "spreadsheets/index.html", context)


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in PERMISSION:
        raise Http404(kind)
    roles.require_page(request, PERMISSION[kind])
    response = HttpResponse(build_template(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    roles.require_page(request, PERMISSION[job.kind])
    return job


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.is_busy and recover_stale_jobs():
        job.refresh_from_db()
    context = {"job": job, "problems": job.problems[:500], "JobStatus": JobStatus}
    template_name = "spreadsheets/job.html"
    if getattr(request, "htmx", False):
        template_name += "#status"
    return render(request, template_name, context)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The uploaded file, back to the user who uploaded it (nobody else: 404)."""
    job = _job(request, pk)
    return download_response(
        job.file.open("rb"),
        filename=job.original_name or job.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES.get(PurePath(job.original_name.lower()).suffix, OCTETS),
    )


@login_required
@require_POST
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's choices for ambiguous places, and the duplicates confirmation."""
    job = _job(request, pk)
    if job.status != JobStatus.READY:
        return redirect("spreadsheets:job", job.pk)
    choices = dict(job.choices)
    for ambiguity in job.ambiguities:
        value = request.POST.get(f"row-{ambiguity['row']}", "")
        ids = {str(c["id"]) for c in ambiguity["candidates"]}
        if value in ids:
            choices[str(ambiguity["row"])] = int(value)
    job.choices = choices
    job.accept_possible_duplicates = request.POST.get("accept_possible_duplicates") == "on"
    job.save(update_fields=["choices", "accept_possible_duplicates"])
    if request.POST.get("commit") and job.can_commit:
        # claimed in one statement: of two commits posted together (a double click, two tabs)
        # only one moves the job on, so one file is never written twice
        claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.READY).update(
            status=JobStatus.QUEUED
        )
        if claimed:
            commit_import.enqueue(job.pk)
            messages.info(request, _("The import has started."))
    elif request.POST.get("commit"):
        messages.error(request, _("Choose a place for every ambiguous row first."))
    return redirect("spreadsheets:job", job.pk)
