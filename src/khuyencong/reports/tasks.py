"""Background generation of long (national) reports: the Django Tasks API (django-tasks
backport) with its database backend and a worker (``manage.py db_worker``) in production, the
immediate backend in development without a worker and in the tests (TASKS_BACKEND)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from khuyencong.reports.models import SavedReport


@task()
def generate_report_task(report_id: int) -> str:
    from khuyencong.reports.services import generate

    report = SavedReport.objects.select_related("province", "author", "template").get(pk=report_id)
    with translation.override(settings.LANGUAGE_CODE):
        return generate(report).state
