"""The steps of an imported project: only those the file states, each on its own date.

A project row may give one column group per step (date, document number, issuer; the
acceptance and settlement their amounts; the stop its reason) and the sheet "Các bước" one
row per step. ``plan`` turns what is known into the writes the services check (every
lifecycle rule applies); a step the file does not give is never invented. When the lifecycle
needs a step the file does not know (only the current status is given, or the first known
step is, say, a contract with no approval before it), ONE baseline event
(``EventKind.TAKEN_OVER``, "chuyển từ dữ liệu cũ") records the status the project had: no
report or page derives a date or a document from it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from khuyencong.core.text import compact, day_text
from khuyencong.documents.xlsx_reader import Column
from khuyencong.projects import services
from khuyencong.projects.dates import DateRefused
from khuyencong.projects.lifecycle import BASELINE, Refused
from khuyencong.projects.models import DisbursementKind, EventKind, Project, Status
from khuyencong.projects.services import SYSTEM

IMPORT_NOTE = "Nhập từ tệp Excel"
BASELINE_NOTE = "Chuyển từ dữ liệu cũ"
EVENTS_SHEET = "Các bước"


@dataclass(frozen=True)
class Step:
    """One lifecycle step a file may state: its event, its Vietnamese name, the status it
    leaves from and reaches, and the project sheet's columns for it (keys)."""

    key: str
    kind: str
    name: str
    source: str
    result: str
    date: str
    number: str = ""
    issuer: str = ""
    amount: str = ""
    reason: str = ""
    needs_document: bool = True
    aliases: tuple[str, ...] = ()


STEPS = (
    Step("appraise", EventKind.APPRAISE, "Thẩm định", Status.REGISTERED, Status.APPRAISED,
         "appraise_date", "appraise_number", "appraise_issuer", needs_document=False),
    Step("approve", EventKind.APPROVE, "Phê duyệt", Status.APPRAISED, Status.APPROVED,
         "approve_date", "approve_number", "approve_issuer"),
    Step("assign", EventKind.ASSIGN, "Giao nhiệm vụ", Status.APPROVED, Status.ASSIGNED,
         "assign_date", "assign_number", "assign_issuer", aliases=("Giao",)),
    Step("contract", EventKind.CONTRACT, "Ký hợp đồng", Status.ASSIGNED, Status.CONTRACTED,
         "contract_date", "contract_number", "contract_issuer",
         aliases=("Hợp đồng", "Ký HĐ")),
    Step("start", EventKind.START, "Bắt đầu thực hiện", Status.CONTRACTED, Status.IN_PROGRESS,
         "start_date", needs_document=False, aliases=("Bắt đầu", "Triển khai")),
    Step("accept", EventKind.ACCEPT, "Nghiệm thu", Status.IN_PROGRESS, Status.ACCEPTED,
         "accept_date", "accept_number", "accept_issuer", "accepted"),
    Step("settle", EventKind.SETTLE, "Quyết toán", Status.ACCEPTED, Status.SETTLED,
         "settle_date", "settle_number", "settle_issuer", "settled"),
    Step("stop", EventKind.APPROVE_STOP, "Dừng thực hiện", "", Status.STOPPED,
         "stop_date", "stop_number", "stop_issuer", reason="stop_reason",
         aliases=("Dừng", "Dừng đề án")),
)  # fmt: skip
BY_KEY = {step.key: step for step in STEPS}
MAIN_ORDER = [step for step in STEPS if step.key != "stop"]
STOP_FROM = frozenset({Status.APPROVED, Status.ASSIGNED, Status.CONTRACTED, Status.IN_PROGRESS})


def _names() -> dict[str, Step]:
    table = {}
    for step in STEPS:
        for name in (step.name, *step.aliases, step.key, str(EventKind(step.kind).label)):
            table.setdefault(compact(name), step)
    return table


STEP_NAMES = _names()


def _c(key: str, header: str, hint: str, width: int = 14) -> Column:
    return Column(key, header, False, hint, (), width)


# The project sheet's columns of the steps, after the status columns.
STEP_COLUMNS = [
    _c("appraise_date", "Ngày thẩm định", "dd/mm/yyyy (để trống nếu không biết)."),
    _c("appraise_number", "Số văn bản thẩm định", "Biên bản/tờ trình thẩm định (nếu có).", 18),
    _c("appraise_issuer", "Cơ quan thẩm định", "", 22),
    _c("approve_date", "Ngày phê duyệt", "dd/mm/yyyy: ngày quyết định phê duyệt đề án."),
    _c("approve_number", "Số QĐ phê duyệt", "Bắt buộc khi có ngày phê duyệt.", 18),
    _c("approve_issuer", "Cơ quan phê duyệt", "Ví dụ UBND tỉnh, Bộ Công Thương.", 22),
    _c("assign_date", "Ngày giao nhiệm vụ", "dd/mm/yyyy."),
    _c("assign_number", "Số QĐ giao nhiệm vụ", "Bắt buộc khi có ngày giao nhiệm vụ.", 18),
    _c("assign_issuer", "Cơ quan giao nhiệm vụ", "Ví dụ Sở Công Thương.", 22),
    _c("contract_date", "Ngày ký HĐ", "dd/mm/yyyy: ngày ký hợp đồng thực hiện.", 12),
    _c("contract_number", "Số HĐ", "Số hợp đồng: bắt buộc khi có ngày ký.", 16),
    _c("contract_issuer", "Bên giao HĐ", "Cơ quan/đơn vị ký hợp đồng với đơn vị thực hiện.", 22),
    _c("start_date", "Ngày bắt đầu thực hiện", "dd/mm/yyyy (nếu biết)."),
    _c("accept_date", "Ngày nghiệm thu", "dd/mm/yyyy."),
    _c("accept_number", "Số biên bản nghiệm thu", "Bắt buộc khi có ngày nghiệm thu.", 18),
    _c("accept_issuer", "Cơ quan nghiệm thu", "", 22),
    _c("accepted", "Giá trị nghiệm thu (đồng)", "Số nguyên, đơn vị đồng (nếu có).", 16),
    _c("settle_date", "Ngày quyết toán", "dd/mm/yyyy."),
    _c("settle_number", "Số QĐ quyết toán", "Bắt buộc khi có ngày quyết toán.", 18),
    _c("settle_issuer", "Cơ quan quyết toán", "", 22),
    _c("stop_date", "Ngày dừng", "dd/mm/yyyy: ngày quyết định dừng thực hiện.", 12),
    _c("stop_number", "Số QĐ dừng", "Bắt buộc khi có ngày dừng.", 16),
    _c("stop_issuer", "Cơ quan quyết định dừng", "", 22),
    _c("stop_reason", "Lý do dừng", "Lý do xin dừng (nếu biết).", 30),
]

EVENT_COLUMNS = [
    Column("code", "Mã đề án", True, "Mã của đề án ở trang dữ liệu.", (), 14),
    Column(
        "step",
        "Bước",
        True,
        "Thẩm định / Phê duyệt / Giao nhiệm vụ / Ký hợp đồng / Bắt đầu thực hiện / Nghiệm thu "
        "/ Quyết toán / Dừng thực hiện.",
        (),
        20,
    ),
    Column("date", "Ngày", True, "dd/mm/yyyy: ngày có hiệu lực của bước.", (), 12),
    Column(
        "document_number",
        "Số văn bản",
        False,
        "Số quyết định/hợp đồng/biên bản (bắt buộc trừ Thẩm định, Bắt đầu thực hiện).",
        (),
        18,
    ),
    Column("issuer", "Cơ quan ban hành", False, "Cơ quan ban hành văn bản.", (), 22),
    Column(
        "amount",
        "Số tiền (đồng)",
        False,
        "Giá trị nghiệm thu (Nghiệm thu) hoặc giá trị quyết toán (Quyết toán).",
        (),
        16,
    ),
    Column("reason", "Lý do", False, "Lý do dừng (Dừng thực hiện).", (), 30),
]
EVENT_FIELDS = {"date": "date", "number": "document_number", "issuer": "issuer"}
EVENT_FIELDS |= {"amount": "amount", "reason": "reason"}


@dataclass(slots=True)
class KnownStep:
    """A step the file states, and where: the row and the column of each of its cells."""

    step: Step
    date: datetime.date
    number: str = ""
    issuer: str = ""
    amount: int | None = None
    reason: str = ""
    row: int = 0
    sheet: str = ""  # "" for the project sheet, else EVENTS_SHEET
    headers: dict[str, str] = field(default_factory=dict)  # "date"/"number"/… -> header


@dataclass(slots=True)
class Op:
    """One write of an imported project: a known step, the baseline or a progress update;
    ``where`` is the (row, header, sheet) a refusal of it is reported under."""

    what: str  # "step" | "baseline" | "progress"
    day: datetime.date
    where: tuple[int, str, str]
    step: KnownStep | None = None
    status: str = ""
    number: str = ""
    issuer: str = ""
    amount: int | None = None
    percent: int = 0
    money: int = 0
    money_kind: str = DisbursementKind.ADVANCE
    reason: str = ""
    date_at: tuple[int, str, str] | None = None  # where a refusal of its date goes, if apart

    def message(self, refusal: str) -> str:
        """A refusal of this write, naming its step (a known step only: the baseline and the
        progress updates are said by their column)."""
        if self.what == "step" and self.step is not None:
            return step_message(self.step.step.name, refusal)
        return refusal


class StepProblem(Refused):
    """A plan the file's steps cannot make, or a step the services refused: where and why."""

    def __init__(self, where: tuple[int, str, str], message: str):
        super().__init__(message, "step")
        self.where = where


def where(known: KnownStep, part: str) -> tuple[int, str, str]:
    return known.row, known.headers.get(part) or known.headers["date"], known.sheet


def step_message(step_name: str, message: str) -> str:
    """ "Bước Ký hợp đồng: …": a refusal names the step that caused it."""
    return _("Step “%(step)s”: %(message)s") % {"step": step_name, "message": message}


def plan(item: Any, header: dict[str, str]) -> list[Op]:
    """The writes of a row, in order; ``StepProblem`` when its steps cannot be recorded as
    given. ``item``: a ``ProjectItem`` with its ``steps`` (key -> ``KnownStep``)."""
    row = item.row
    status_at = (row, header["status"], "")
    known = [item.steps[step.key] for step in MAIN_ORDER if step.key in item.steps]
    stop = item.steps.get("stop")
    if stop is not None and any(k.step.key in ("accept", "settle") for k in known):
        raise StepProblem(
            where(stop, "date"),
            step_message(stop.step.name, _("a stopped project has no acceptance or settlement.")),
        )
    chain = [*known, *([stop] if stop else [])]
    previous: KnownStep | None = None
    for current in chain:
        if item.registered_on and current.date < item.registered_on:
            raise StepProblem(
                where(current, "date"),
                step_message(current.step.name, _("the date is before the registration date.")),
            )
        if previous is not None and current.date < previous.date:
            raise StepProblem(
                where(current, "date"),
                step_message(
                    current.step.name,
                    _("the date %(date)s is before the step “%(other)s” (%(other_date)s).")
                    % {
                        "date": day_text(current.date),
                        "other": previous.step.name,
                        "other_date": day_text(previous.date),
                    },
                ),
            )
        previous = current
    for before, after in pairwise(known):
        implied = before.step.key == "contract" and after.step.key == "accept"  # work starts
        if before.step.result != after.step.source and not implied:
            missing = next(s for s in MAIN_ORDER if s.source == before.step.result)
            raise StepProblem(
                (row, header[missing.date], ""),
                step_message(
                    missing.name,
                    _("needed before the step “%(step)s”: give its date and document number.")
                    % {"step": after.step.name},
                ),
            )
    ops: list[Op] = []
    given = item.status_given
    if not chain:
        if given in (None, Status.REGISTERED):
            return ops
        return _baseline_only(item, given, header)
    first = chain[0]
    if first.step.key == "stop":
        # stopped from a status the file does not know: the stop decision is the baseline
        ops.append(
            Op("baseline", first.date, where(first, "date"), status=Status.STOPPED,
               number=first.number, issuer=first.issuer, amount=item.disbursed or None)
        )  # fmt: skip
        _check_status(item, Status.STOPPED, status_at)
        return ops
    if first.step.source != Status.REGISTERED:
        ops.append(Op("baseline", first.date, where(first, "date"), status=first.step.source))
    status = first.step.source
    percent = 0
    for known_step in known:
        if known_step.step.key == "accept" and percent < 100:
            # acceptance is of all the work: the work done is 100 % on its date
            ops.append(Op("progress", known_step.date, where(known_step, "date"), percent=100))
            percent = 100
            status = Status.IN_PROGRESS
        if known_step.step.key == "settle" and item.disbursed:
            ops.append(_payment(item, known_step.date, header))
        ops.append(Op("step", known_step.date, where(known_step, "date"), step=known_step))
        status = known_step.step.result
    day = item.status_date or chain[-1].date
    if stop is not None:
        if status not in STOP_FROM:
            raise StepProblem(
                where(stop, "date"),
                step_message(
                    stop.step.name,
                    _("a project is stopped once approved and before its acceptance."),
                ),
            )
        if item.disbursed or item.progress:
            ops.append(_advance(item, stop.date, header))
        ops.append(Op("step", stop.date, where(stop, "date"), step=stop))
        status = Status.STOPPED
    elif status in (Status.CONTRACTED, Status.IN_PROGRESS):
        if item.progress or item.disbursed:
            ops.append(_advance(item, max(day, chain[-1].date), header))
            if item.progress and status == Status.CONTRACTED:
                status = Status.IN_PROGRESS
    elif status == Status.ACCEPTED and item.disbursed:
        ops.append(_payment(item, max(day, chain[-1].date), header))
    _check_status(item, status, status_at)
    return ops


def _advance(item: Any, day: datetime.date, header: dict[str, str]) -> Op:
    column = header["disbursed"] if item.disbursed else header["progress"]
    return Op("progress", day, (item.row, column, ""), percent=item.progress or 0,
              money=item.disbursed)  # fmt: skip


def _payment(item: Any, day: datetime.date, header: dict[str, str]) -> Op:
    return Op("progress", day, (item.row, header["disbursed"], ""), percent=100,
              money=item.disbursed, money_kind=DisbursementKind.PAYMENT)  # fmt: skip


def _check_status(item: Any, reached: str, status_at: tuple[int, str, str]) -> None:
    """The "Tình trạng" column, when given, agrees with the steps the file gives."""
    given = item.status_given
    if given is None or given == reached:
        return
    if given == Status.CONTRACTED and reached == Status.IN_PROGRESS and item.progress:
        return  # its work done starts the work, as a progress update does (status-only rows too)
    nxt = next((s for s in MAIN_ORDER if s.source == reached), None)
    if given == Status.STOPPED:
        nxt = BY_KEY["stop"]
    elif nxt is not None and nxt.key == "start" and given in (Status.ACCEPTED, Status.SETTLED):
        nxt = BY_KEY["accept"]  # the work starts with its progress: the acceptance is missing
    hint = (
        _(" Give the date and document of the step “%(step)s”.") % {"step": nxt.name}
        if nxt is not None
        else ""
    )
    raise StepProblem(
        status_at,
        _("The steps given reach “%(reached)s”, not “%(status)s”.")
        % {"reached": Status(reached).label, "status": Status(given).label}
        + hint,
    )


def _baseline_only(item: Any, status: str, header: dict[str, str]) -> list[Op]:
    """Only the current status is known: the baseline on its date, then the known money."""
    day = item.status_date
    if day is None:
        raise StepProblem(
            (item.row, header["status_date"], ""),
            _("Give the date the project reached this status."),
        )
    status_at = (item.row, header["status"], "")
    date_at = (item.row, header["status_date"], "")
    amount = None
    if status == Status.ACCEPTED and item.accepted is not None:
        amount = item.accepted
    elif status == Status.SETTLED:
        amount = item.settled or item.disbursed or None
    elif status == Status.STOPPED:
        amount = item.disbursed or None
    ops = [
        Op("baseline", day, status_at, status=status, number=item.document_number, amount=amount,
           date_at=date_at)
    ]  # fmt: skip
    money_at = (item.row, header["disbursed"], "")
    if status in (Status.CONTRACTED, Status.IN_PROGRESS) and (item.progress or item.disbursed):
        ops.append(
            Op("progress", day, money_at if item.disbursed else (item.row, header["progress"], ""),
               percent=item.progress or 0, money=item.disbursed, date_at=date_at)
        )  # fmt: skip
    elif status in (Status.ACCEPTED, Status.SETTLED) and item.disbursed:
        ops.append(
            Op("progress", day, money_at, percent=100, money=item.disbursed,
               money_kind=DisbursementKind.PAYMENT, date_at=date_at)
        )  # fmt: skip
    return ops


def write(project: Project, ops: list[Op]) -> None:
    """Record the ops through the services; a refusal becomes a ``StepProblem`` naming the
    step and the column that caused it."""
    for op in ops:
        try:
            _write(project, op)
        except Refused as refused:
            where_ = _refusal_where(op, refused)
            raise StepProblem(where_, op.message(refused.message)) from None


DOCUMENT_CODES = frozenset({"document_given", "province_document"})
AMOUNT_CODES = frozenset(
    {"acceptance_amount_valid", "settlement_amount_valid", "baseline_amount_valid", "negative"}
)


def _refusal_where(op: Op, refused: Refused) -> tuple[int, str, str]:
    if isinstance(refused, DateRefused) and op.date_at is not None:
        return op.date_at
    code = refused.code
    known = op.step
    if known is None:
        return op.where
    if code in DOCUMENT_CODES:
        return where(known, "number")
    if code in AMOUNT_CODES:
        return where(known, "amount")
    return op.where


def _write(project: Project, op: Op) -> None:
    if op.what == "progress":
        services.record_progress(
            project=project, actor=SYSTEM, date=op.day, progress_percent=op.percent,
            disbursed_amount=op.money, disbursement_kind=op.money_kind, note=IMPORT_NOTE,
        )  # fmt: skip
        return
    if op.what == "baseline":
        services.project_transition(
            project=project, kind=BASELINE, effective_date=op.day, actor=SYSTEM,
            document_number=op.number, issuer=op.issuer, reason=BASELINE_NOTE,
            amount=op.amount, to_status=op.status,
        )  # fmt: skip
        return
    known = op.step
    assert known is not None
    if known.step.key == "stop":
        services.project_transition(
            project=project, kind=EventKind.REQUEST_STOP, effective_date=known.date,
            actor=SYSTEM, reason=known.reason or IMPORT_NOTE,
        )  # fmt: skip
    if known.step.key == "start" and project.status != Status.CONTRACTED:
        return  # the work had already started (a progress update fired the step)
    services.project_transition(
        project=project, kind=known.step.kind, effective_date=known.date, actor=SYSTEM,
        document_number=known.number, issuer=known.issuer, reason=IMPORT_NOTE,
        amount=known.amount if known.step.amount else None,
    )  # fmt: skip


# --------------------------------------------------------------------------- re-import


def recorded_match(project: Project, ops: list[Op]) -> tuple[list[Op], list[StepProblem]]:
    """For a project already imported: the ops not recorded yet, and a conflict for each
    step recorded with another date or document (reported, never overwritten)."""
    events = list(project.events.exclude(kind=EventKind.REGISTER).order_by("sequence"))
    progress = set(
        project.progress_updates.values_list("date", "progress_percent", "disbursed_amount")
    )
    new: list[Op] = []
    conflicts: list[StepProblem] = []
    for op in ops:
        if op.what == "progress":
            if (op.day, op.percent, op.money) not in progress:
                new.append(op)
            continue
        if op.what == "baseline":
            same_kind = [e for e in events if e.kind == BASELINE]
            if not same_kind and events:
                continue  # its history was recorded step by step (an earlier import, a user)
            number, name = op.number, BASELINE_NOTE
        else:
            assert op.step is not None
            same_kind = [e for e in events if e.kind == op.step.step.kind]
            number, name = op.step.number, op.step.step.name
        if not same_kind:
            new.append(op)
            continue
        event = same_kind[0]
        if event.effective_date == op.day and compact(event.document_number) == compact(number):
            continue
        conflicts.append(
            StepProblem(
                op.where,
                step_message(
                    name,
                    _(
                        "already recorded on %(date)s with document “%(number)s”; the file "
                        "says %(file_date)s, “%(file_number)s”. Not overwritten: correct the "
                        "project's record or the file."
                    )
                    % {
                        "date": day_text(event.effective_date),
                        "number": event.document_number or "—",
                        "file_date": day_text(op.day),
                        "file_number": number or "—",
                    },
                ),
            )
        )
    return new, conflicts
