"""Saving a report: build its data, apply the edited texts, freeze the numbers, render the
three files once and store them (a later download sends the same bytes).

A province report is generated in the request (well under a second); a national report runs as
a background task (``generate_report_task``) and records its progress on the row, which
the report's page shows until the files are ready.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from khuyencong.accounts import roles
from khuyencong.accounts.models import Role
from khuyencong.core.models import lock_versioned
from khuyencong.core.workflow import Refused
from khuyencong.reports import render, signoff, snapshot
from khuyencong.reports.builder import ReportRefused, build_report, check_scope
from khuyencong.reports.data import ReportData, default_issued_on, make_period
from khuyencong.reports.docx_template import TEMPLATE_PATH
from khuyencong.reports.edits import ReportEdits, lines
from khuyencong.reports.models import (
    LOCKED_STATUSES,
    ReportState,
    ReportTemplate,
    SavedReport,
    SignoffStatus,
    SignoffStep,
)

logger = logging.getLogger(__name__)
FORMATS = ("docx", "pdf", "xlsx")


# --------------------------------------------------------------------------------------------
# Template


def docx_template(template: ReportTemplate | None) -> Path | io.BytesIO:
    """The DOCX template to render with: an uploaded version's file or the repository's."""
    if template is None:
        return TEMPLATE_PATH
    with template.file.open("rb") as handle:
        return io.BytesIO(handle.read())


def render_files(data: ReportData, template: ReportTemplate | None = None) -> dict[str, bytes]:
    return {
        "docx": render.render_docx(data, template=docx_template(template)),
        "pdf": render.render_pdf(data),
        "xlsx": render.render_xlsx(data),
    }


# --------------------------------------------------------------------------------------------
# Edits kept on the row


def edits_of(report: SavedReport) -> ReportEdits:
    return ReportEdits(
        number=report.number,
        issued_on=report.issued_on,
        signer_capacity=report.signer_capacity,
        signer_position=report.signer_position,
        signer_name=report.signer_name,
        section_narratives=dict(report.section_narratives or {}),
        solutions=lines(report.solutions) if report.solutions.strip() else None,
        orientation=lines(report.orientation) if report.orientation.strip() else None,
        next_year_text=report.next_year_text if report.next_year_text.strip() else None,
    )


def _edit_fields(edits: ReportEdits) -> dict[str, Any]:
    return {
        "number": edits.number,
        "signer_capacity": edits.signer_capacity or "",
        "signer_position": edits.signer_position or "",
        "signer_name": edits.signer_name or "",
        "section_narratives": dict(edits.section_narratives),
        "solutions": "\n".join(edits.solutions or ()),
        "orientation": "\n".join(edits.orientation or ()),
        "next_year_text": edits.next_year_text or "",
    }


# --------------------------------------------------------------------------------------------
# Saving and generating


def check_create(user: Any, province: Any) -> None:
    decision = roles.check(user, "reports.create")
    if not decision:
        raise ReportRefused(decision.reason)
    check_scope(user, province)


def save_report(
    *,
    user: Any,
    province: Any,
    year: int,
    period: str,
    as_of: datetime.date,
    edits: ReportEdits,
    background: bool | None = None,
    corrects: SavedReport | None = None,
) -> SavedReport:
    """Record a report (a draft of the sign-off) and generate its files: now for a province,
    as a background task for the whole country (``background`` forces either). ``corrects``:
    the issued report this one corrects (same scope, year and period). Raises
    ``ReportRefused``."""
    check_create(user, province)
    if corrects is not None:
        check_correction(user, corrects, province=province, year=year, period=period)
    report = SavedReport(
        corrects=corrects,
        province=province,
        year=year,
        period=period,
        as_of=as_of,
        issued_on=edits.issued_on or default_issued_on(make_period(period, year, as_of), as_of),
        title="",
        author=user,
        template=ReportTemplate.current(),
        state=ReportState.QUEUED,
        **_edit_fields(edits),
    )
    report.save()
    SignoffStep.objects.create(
        report=report, step="draft", to_status=SignoffStatus.DRAFT, actor=user
    )
    if background is None:
        background = province is None
    if background:
        transaction.on_commit(lambda: generate_report_task.enqueue(report.pk))
    else:
        generate(report)
    return report


def _set_progress(report_id: int, percent: int, state: str = ReportState.RUNNING) -> None:
    # An UPDATE, not save(): progress ticks are not history worth keeping.
    SavedReport.objects.filter(pk=report_id).update(progress=percent, state=state)


def generate(report: SavedReport, progress: Callable[[int], None] | None = None) -> SavedReport:
    """Build, snapshot and render ``report``; store the files. Marks it failed on error."""
    tick = progress or (lambda percent: _set_progress(report.pk, percent))
    try:
        tick(1)
        data = build_report(
            user=report.author,
            province=report.province,
            year=report.year,
            period=report.period,
            as_of=report.as_of,
            issued_on=report.issued_on,
            progress=lambda percent, _step: tick(min(percent, 50)),
        )
        data = edits_of(report).apply(data)
        tick(55)
        files: dict[str, bytes] = {}
        template = docx_template(report.template)
        files["docx"] = render.render_docx(data, template=template)
        tick(70)
        files["pdf"] = render.render_pdf(data)
        tick(90)
        files["xlsx"] = render.render_xlsx(data)
        tick(97)
    except Exception as error:
        logger.exception("report %s could not be generated", report.pk)
        message = error.message if isinstance(error, ReportRefused) else str(error)
        SavedReport.objects.filter(pk=report.pk).update(
            state=ReportState.FAILED,
            message=_("The report could not be generated: %(error)s") % {"error": message},
        )
        report.refresh_from_db()
        return report
    stem = download_name(report)
    with transaction.atomic():
        report.refresh_from_db()
        report.title = data.title
        report.snapshot = snapshot.dump(data)
        for fmt in FORMATS:
            report.file_for(fmt).save(f"{stem}.{fmt}", ContentFile(files[fmt]), save=False)
        report.state = ReportState.READY
        report.progress = 100
        report.message = ""
        report.save()
    return report


@task()
def generate_report_task(report_id: int) -> str:
    """The background job of ``save_report`` (Django Tasks: the database backend and
    ``manage.py db_worker`` in production, the immediate backend in development and tests)."""
    report = SavedReport.objects.select_related("province", "author", "template").get(pk=report_id)
    with translation.override(settings.LANGUAGE_CODE):
        return generate(report).state


def download_name(report: SavedReport) -> str:
    """ "bao-cao-khuyen-cong-bac-kan-H1-2018" (ASCII)."""
    from django.utils.text import slugify
    from unidecode import unidecode

    scope = (
        slugify(unidecode(report.province.short_name))
        if report.province is not None
        else "toan-quoc"
    )
    period = report.period if report.period != "D" else report.as_of.strftime("%Y%m%d")
    return f"bao-cao-khuyen-cong-{scope}-{period}-{report.year}"


def file_digest(report: SavedReport, fmt: str) -> str:
    field = report.file_for(fmt)
    with field.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def previous_report(report: SavedReport) -> SavedReport | None:
    """The latest ready report of the same scope before this one (by as-of date, then time)."""
    earlier = (
        SavedReport.objects.active()
        .same_scope(report)
        .filter(state=ReportState.READY)
        .exclude(pk=report.pk)
        .filter(as_of__lte=report.as_of)
        .order_by("-as_of", "-created_at", "-pk")
    )
    for candidate in earlier:
        if candidate.as_of < report.as_of or candidate.created_at < report.created_at:
            return candidate
    return None


def archive_report(*, user: Any, report: SavedReport) -> None:
    decision = roles.check(user, "reports.create", report)
    if not decision:
        raise ReportRefused(decision.reason)
    if report.is_locked:
        raise ReportRefused(
            _("An issued report is not archived: prepare a correction (a new version) instead.")
        )
    report.archive()


# --------------------------------------------------------------------------------------------
# Sign-off (reports.signoff): each step under a lock on the report, with its history row


class SignoffRefused(ReportRefused):
    """A step the sign-off does not allow now (not a permission): ``field`` names the input
    at fault, if any."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def side_problem(user: Any, report: SavedReport) -> str | None:
    return signoff.side_problem(
        national_user=roles.is_national(user),
        system_admin=roles.role_of(user) == Role.SYSTEM_ADMIN,
        nationwide=report.province_id is None,
    )


def may_take(user: Any, report: SavedReport, kind: str) -> bool:
    """May ``user`` take step ``kind`` on ``report`` now (the page's buttons)?"""
    row = signoff.TABLE.row(kind)
    return (
        report.status in row.sources
        and report.is_ready
        and report.archived_at is None
        and roles.allowed(user, row.permission, report)
        and side_problem(user, report) is None
    )


def check_actor(user: Any, report: SavedReport, kind: str) -> None:
    """Permission and side of a step (``ReportRefused``: the view's 403)."""
    row = signoff.TABLE.row(kind)
    decision = roles.check(user, row.permission, report)
    if not decision:
        raise ReportRefused(decision.reason)
    problem = side_problem(user, report)
    if problem:
        raise ReportRefused(problem)


def _step(
    *,
    user: Any,
    report: SavedReport,
    kind: str,
    expected_version: int | None,
    **values: Any,
) -> tuple[SavedReport, str, str]:
    """The report locked for the step, after every check; (report, from, to)."""
    check_actor(user, report, kind)
    try:
        locked = lock_versioned(
            report,
            expected_version,
            related=("province",),
            archived=_("This report is archived."),
        )
    except Refused as refused:
        raise SignoffRefused(refused.message) from None
    row = signoff.TABLE.row(kind)
    try:
        signoff.TABLE.check(row, locked.status)
    except Refused as refused:
        raise SignoffRefused(refused.message) from None
    if not locked.is_ready:
        raise SignoffRefused(_("The report's files are not ready yet."))
    return locked, locked.status, row.target


def _record(
    report: SavedReport, kind: str, before: str, after: str, user: Any, **values: Any
) -> None:
    SignoffStep.objects.create(
        report=report, step=kind, from_status=before, to_status=after, actor=user, **values
    )


@transaction.atomic
def submit_report(
    *, user: Any, report: SavedReport, expected_version: int | None = None
) -> SavedReport:
    """The drafter submits the report for signature."""
    report, before, after = _step(
        user=user, report=report, kind="submit", expected_version=expected_version
    )
    report.status = after
    report.version += 1
    report.save(update_fields=["status", "version", "updated_at"])
    _record(report, "submit", before, after, user)
    return report


@transaction.atomic
def return_report(
    *, user: Any, report: SavedReport, reason: str, expected_version: int | None = None
) -> SavedReport:
    """The leader returns a submitted report to its drafter, saying why."""
    if not reason.strip():
        raise SignoffRefused(_("Say why the report is returned."), "note")
    report, before, after = _step(
        user=user, report=report, kind="return", expected_version=expected_version
    )
    report.status = after
    report.version += 1
    report.save(update_fields=["status", "version", "updated_at"])
    _record(report, "return", before, after, user, note=reason.strip())
    return report


@transaction.atomic
def issue_report(
    *,
    user: Any,
    report: SavedReport,
    number: str,
    issued_on: datetime.date | None,
    expected_version: int | None = None,
) -> SavedReport:
    """The leader signs: the report gets its number and date, its DOCX/PDF/XLSX are rendered
    again from its frozen figures with them (the figures stay those that were submitted),
    and it is locked from now on."""
    report, before, after = _step(
        user=user, report=report, kind="issue", expected_version=expected_version
    )
    number = (number or "").strip()
    try:
        day = signoff.check_issue(number, issued_on, report.as_of)
    except Refused as refused:
        raise SignoffRefused(refused.message, refused.code) from None
    data = snapshot.load(report.snapshot)
    data = dataclasses.replace(data, number=number, issued_on=day)
    files = {
        "docx": render.render_docx(data, template=docx_template(report.template)),
        "pdf": render.render_pdf(data),
        "xlsx": render.render_xlsx(data),
    }
    stem = download_name(report)
    drafts = [report.file_for(fmt) for fmt in FORMATS]
    superseded = [(field.storage, field.name) for field in drafts if field.name]
    report.number = number
    report.issued_on = day
    report.snapshot = snapshot.dump(data)
    for fmt in FORMATS:
        report.file_for(fmt).save(f"{stem}.{fmt}", ContentFile(files[fmt]), save=False)
    report.status = after
    report.version += 1
    report.save()
    _record(report, "issue", before, after, user, number=number, day=issued_on)
    # the draft's files, replaced by the issued ones, leave the storage once this is committed
    transaction.on_commit(lambda: _delete_files(superseded))
    return report


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # a file already gone: nothing to delete
            logger.warning("could not delete the superseded file %s", name)


@transaction.atomic
def send_report(
    *,
    user: Any,
    report: SavedReport,
    sent_on: datetime.date | None,
    sent_to: str = "",
    expected_version: int | None = None,
) -> SavedReport:
    """The department records the issued report as sent (to the national agency and the
    recipients), on ``sent_on``: the day the national list shows it arrived."""
    report, before, after = _step(
        user=user, report=report, kind="send", expected_version=expected_version
    )
    if sent_on is None:
        raise SignoffRefused(_("Enter the day the report was sent."), "sent_on")
    if sent_on < report.issued_on:
        raise SignoffRefused(_("A report cannot be sent before the date it was issued."), "sent_on")
    report.status = after
    report.sent_on = sent_on
    report.sent_to = (sent_to or "").strip()
    report.version += 1
    report.save(update_fields=["status", "sent_on", "sent_to", "version", "updated_at"])
    _record(report, "send", before, after, user, day=sent_on, note=report.sent_to)
    return report


def check_correction(user: Any, old: SavedReport, *, province: Any, year: int, period: str) -> None:
    """A correction cites an issued report of the same scope, year and period."""
    if not roles.allowed(user, "reports.view", old) or old.archived_at is not None:
        raise ReportRefused(_("The report to correct was not found."))
    if old.status not in LOCKED_STATUSES:
        raise ReportRefused(
            _("Only an issued report is corrected by a new version; a draft is simply redone.")
        )
    same_scope = (province.pk if province else None) == old.province_id
    if not same_scope or year != old.year or period != old.period:
        raise ReportRefused(
            _("A correction states the same province, year and period as the report it corrects.")
        )


def replaced_by(report: SavedReport) -> SavedReport | None:
    """The issued correction that replaces ``report`` (the latest), if any."""
    return (
        SavedReport.objects.active()
        .filter(corrects=report, status__in=LOCKED_STATUSES)
        .order_by("-issued_on", "-pk")
        .first()
    )
