"""Background tasks (Django Tasks API, django-tasks backport): check and commit an import.

Production runs them in a worker (``manage.py db_worker``, database backend); development
without a worker and the tests run them at once (TASKS_BACKEND=immediate).

Limits, the same on both paths: the file is read in a child process under a memory and time
limit (``documents.xlsx_reader``); the check or commit stops at ``IMPORT_TIME_LIMIT`` (tested
at each sign of life); a run that dies (out of memory, timed out, its worker killed) ends
failed with a message, never busy for ever: the run beats ``heartbeat_at`` as it goes, and a
busy job without a beat for ``IMPORT_STALE_AFTER`` is recovered as failed by
``recover_stale_jobs`` (when the import pages load, and ``manage.py recover_imports``). A run
stores its outcome only while the job is still its own (same ``started_at``, still busy); a
commit records "done" inside the transaction of its writes, so a job is never both failed and
imported.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from khuyencong.documents.xlsx_reader import ReadAborted, SheetError
from khuyencong.spreadsheets.models import MAX_STORED_ERRORS, ImportJob, JobStatus
from khuyencong.spreadsheets.pipeline import Report, read_file, run
from khuyencong.spreadsheets.pipeline_projects import importer_class

logger = logging.getLogger(__name__)
RUNNING = (JobStatus.CHECKING, JobStatus.COMMITTING)


class TimeLimit(Exception):
    """The run went over IMPORT_TIME_LIMIT."""


class JobTaken(Exception):
    """The job is no longer this run's (recovered as failed meanwhile): store nothing."""


@task()
def check_import(job_id: int) -> None:
    process(job_id, commit=False)


@task()
def commit_import(job_id: int) -> None:
    process(job_id, commit=True)


def _outcome(report: Report, *, commit: bool) -> dict[str, Any]:
    errors, warnings = report.errors, report.warnings
    if errors:
        status = JobStatus.INVALID
    elif commit and (report.created or report.unchanged or not report.rows):
        status = JobStatus.DONE
    else:
        status = JobStatus.READY
    return {
        "status": status,
        "total_rows": report.rows,
        "processed_rows": report.rows,
        "error_count": len(errors),
        "warning_count": len(warnings),
        "problems": (errors + warnings + report.unchanged)[:MAX_STORED_ERRORS],
        "ambiguities": report.ambiguities[:MAX_STORED_ERRORS],
        "created_count": report.created,
        "message": "",
    }


def process(job_id: int, *, commit: bool) -> ImportJob:
    """Run the pipeline on the job's file and store the outcome on the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    running = JobStatus.COMMITTING if commit else JobStatus.CHECKING
    started = timezone.now()
    deadline = time.monotonic() + settings.IMPORT_TIME_LIMIT
    this_run = ImportJob.objects.filter(pk=job_id, status=running, started_at=started)

    def beat(done: int | None = None, total: int | None = None) -> None:
        if time.monotonic() >= deadline:
            raise TimeLimit
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if done is not None:
            fields.update(processed_rows=done, total_rows=total)
        if not this_run.update(**fields):
            raise JobTaken

    def store(fields: dict[str, Any]) -> None:
        if not this_run.update(**fields, finished_at=timezone.now()):
            raise JobTaken

    with translation.override(settings.LANGUAGE_CODE):
        job.status, job.processed_rows = running, 0
        job.started_at = job.heartbeat_at = started
        job.save(update_fields=["status", "processed_rows", "started_at", "heartbeat_at"])
        importer = importer_class(job.kind)(
            job.user,
            choices=job.choices,
            accept_possible_duplicates=job.accept_possible_duplicates,
        )
        stored = False

        def finish(report: Report) -> None:  # inside the commit's transaction
            nonlocal stored
            store(_outcome(report, commit=True))
            stored = True

        try:
            with job.file.open("rb") as handle:
                sheet = read_file(importer, handle, max_rows=settings.IMPORT_MAX_ROWS)
            beat()
            report = run(importer, sheet, commit=commit, progress=beat, finish=finish)
            fields = _outcome(report, commit=commit)
        except JobTaken:
            logger.warning("import job %s was recovered as failed while it ran", job_id)
            return ImportJob.objects.get(pk=job_id)
        except ReadAborted as error:
            fields = {"status": JobStatus.FAILED, "message": str(error)}
        except SheetError as error:
            fields = {"status": JobStatus.INVALID, "message": str(error)}
        except TimeLimit:
            fields = {
                "status": JobStatus.FAILED,
                "message": _(
                    "The import took longer than %(minutes)s minutes and was stopped; nothing "
                    "was imported. Split the file and import the parts one after the other."
                )
                % {"minutes": settings.IMPORT_TIME_LIMIT // 60},
            }
        except MemoryError:
            logger.exception("import job %s ran out of memory", job_id)
            fields = {
                "status": JobStatus.FAILED,
                "message": _(
                    "The server ran out of memory during the import; nothing was imported. "
                    "Split the file and import the parts one after the other."
                ),
            }
        except Exception:
            logger.exception("import job %s failed", job_id)
            fields = {
                "status": JobStatus.FAILED,
                "message": _("The import failed unexpectedly; nothing was imported."),
            }
        if not stored:
            try:
                store(fields)
            except JobTaken:
                logger.warning("import job %s was recovered as failed while it ran", job_id)
    return ImportJob.objects.get(pk=job_id)


def recover_stale_jobs(now: datetime.datetime | None = None) -> int:
    """Mark failed the jobs busy checking or committing with no sign of life for
    ``IMPORT_STALE_AFTER`` seconds (their worker died: a killed process leaves its job as it
    was, and its open transaction rolled back). Returns how many."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER)
    stale = ImportJob.objects.filter(status__in=RUNNING).filter(
        Q(heartbeat_at__lt=since) | Q(heartbeat_at__isnull=True, created_at__lt=since)
    )
    if not stale.exists():  # a page load writes nothing (and waits for no lock) in the usual case
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "The import stopped without finishing (the server was restarted, or ran out of "
            "memory or time); nothing was imported. Upload the file again."
        )
    count = stale.update(status=JobStatus.FAILED, message=message, finished_at=now)
    if count:
        logger.warning("%s stale import jobs marked failed", count)
    return count
