"""Background tasks (Django Tasks API, django-tasks backport): check and commit an import.

Production runs them in a worker (``manage.py db_worker``, database backend); development
without a worker and the tests run them at once (TASKS_BACKEND=immediate).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from khuyencong.documents.xlsx_reader import SheetError, read_sheet
from khuyencong.spreadsheets.models import MAX_STORED_ERRORS, ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import run
from khuyencong.spreadsheets.pipeline_projects import importer_class

logger = logging.getLogger(__name__)


@task()
def check_import(job_id: int) -> None:
    process(job_id, commit=False)


@task()
def commit_import(job_id: int) -> None:
    process(job_id, commit=True)


def process(job_id: int, *, commit: bool) -> ImportJob:
    """Run the pipeline on the job's file and store the outcome on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        job.status = JobStatus.COMMITTING if commit else JobStatus.CHECKING
        job.processed_rows = 0
        job.save(update_fields=["status", "processed_rows"])
        importer = importer_class(job.kind)(
            job.user,
            choices=job.choices,
            accept_possible_duplicates=job.accept_possible_duplicates,
        )
        try:
            with job.file.open("rb") as handle:
                sheet = read_sheet(handle, importer.columns, max_rows=settings.IMPORT_MAX_ROWS)

            def progress(done: int, total: int) -> None:
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

            report = run(importer, sheet, commit=commit, progress=progress)
        except SheetError as error:
            job.status, job.message = JobStatus.INVALID, str(error)
        except Exception:
            logger.exception("import job %s failed", job_id)
            job.status = JobStatus.FAILED
            job.message = _("The import failed unexpectedly; nothing was imported.")
        else:
            errors, warnings = report.errors, report.warnings
            job.total_rows = job.processed_rows = report.rows
            job.error_count, job.warning_count = len(errors), len(warnings)
            job.problems = (errors + warnings)[:MAX_STORED_ERRORS]
            job.ambiguities = report.ambiguities[:MAX_STORED_ERRORS]
            job.created_count = report.created
            job.message = ""
            if errors:
                job.status = JobStatus.INVALID
            elif commit and (report.created or not report.rows):
                job.status = JobStatus.DONE
            else:
                job.status = JobStatus.READY
        job.finished_at = timezone.now()
        job.save()
    return job
