"""The summary sheet a province sends upward with its national-fund registrations: Mẫu 2
("biểu tổng hợp", TT 36/2013/TT-BCT Appendix 1), as XLSX in the reports engine's one table
style (``documents.xlsx.write_table``).

The notes list Mẫu 2 by name only (the form itself was not seen): the columns below are the
facts a base-level summary needs — project, beneficiary, place, content, implementing unit,
timing, money asked and committed, the screening and appraisal results, the support
recommended — and the sheet says its layout is not checked against the original form.

Every registration received for the year and source is listed, eligible or not, with the
reasons; the line under the table states the outcome, including the seed's "no national-fund
source" when none qualifies.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation

from khuyencong.documents import wording
from khuyencong.documents.xlsx import (
    XlsxTable,
    new_workbook,
    save_workbook,
    write_note,
    write_table,
)
from khuyencong.places.models import AdminUnit
from khuyencong.registrations import selectors
from khuyencong.registrations.models import (
    AppraisalDecision,
    Outcome,
    Recommendation,
    Registration,
    ScreeningCheck,
)

COLUMNS = [
    "STT",
    "Tên đề án",
    "Đơn vị thụ hưởng",
    "Địa điểm thực hiện",
    "Nội dung hoạt động",
    "Đơn vị thực hiện",
    "Thời gian thực hiện",
    "Tổng vốn đầu tư (đồng)",
    "Kinh phí đề nghị hỗ trợ (đồng)",
    "Vốn đối ứng (đồng)",
    "Kết quả sàng lọc điều kiện",
    "Điểm ưu tiên",
    "Điểm thẩm định bình quân",
    "Kinh phí kiến nghị hỗ trợ (đồng)",
    "Mã đăng ký",
]
MONEY_COLUMNS = {8, 9, 10, 14}
WIDTHS = [6, 40, 28, 32, 28, 28, 16, 18, 18, 18, 60, 10, 12, 18, 18]
LAYOUT_NOTE = "bố cục theo danh mục Mẫu 2, mẫu gốc chưa được đối chiếu"


def _period(registration: Registration) -> str:
    start, end = registration.planned_start, registration.planned_end
    if start and end:
        return f"{start:%m/%Y} – {end:%m/%Y}"
    return str(registration.target_year)


def _screening_text(screening: Any, checks: list[ScreeningCheck]) -> str:
    if screening is None:
        return "Chưa sàng lọc"
    label = str(Outcome(screening.outcome).label)
    reasons = [f"{c.message} ({c.legal_basis})" if c.legal_basis else c.message for c in checks]
    return f"{label}: " + " ".join(reasons) if reasons else label


def outcome_line(status: selectors.NextYearPlanStatus, source_label: str) -> str:
    source = wording.lower_first(source_label)
    if status.outcome == "no_registrations":
        return (
            f"Chưa nhận được hồ sơ đăng ký thực hiện kế hoạch khuyến công năm {status.year}: "
            f"chưa có “Nguồn” để xây dựng kế hoạch kinh phí {source} năm {status.year}."
        )
    if status.outcome == "no_qualified":
        return (
            f"Đã nhận {wording.padded(status.registration_count)} hồ sơ đăng ký; chưa có đề án "
            f"nào đáp ứng được yêu cầu, mục tiêu của đề án {source}: chưa có “Nguồn” để xây "
            f"dựng kế hoạch kinh phí {source} năm {status.year}."
        )
    return (
        f"Có {wording.count_phrase(status.qualified_count)} đáp ứng yêu cầu, mục tiêu của đề án "
        f"{source}, tổng kinh phí đề nghị hỗ trợ {wording.money_short(status.qualified_budget)}."
    )


def render_summary_sheet(
    province: AdminUnit,
    year: int,
    source: Any,
    *,
    issued_on: datetime.date | None = None,
) -> bytes:
    """Mẫu 2 for ``province``'s registrations of ``year`` from ``source`` (a FundingSource)."""
    issued_on = issued_on or timezone.localdate()
    family = AdminUnit.province_family_ids(province.pk)
    registrations = list(
        Registration.objects.active()
        .received()
        .filter(province_id__in=family, target_year=year, funding_source=source)
        .select_related("beneficiary", "place__parent__parent", "content_area", "implementing_unit")
        .order_by("code")
    )
    screenings = selectors.latest_screenings(registrations)
    problems: dict[int, list[ScreeningCheck]] = {}
    checks = ScreeningCheck.objects.filter(
        screening__in=list(screenings.values()), outcome__in=[Outcome.FAIL, Outcome.NEEDS_REVIEW]
    ).order_by("screening_id", "position")
    for check in checks:
        problems.setdefault(check.screening_id, []).append(check)
    decisions = {
        d.registration_id: d
        for d in AppraisalDecision.objects.filter(registration__in=registrations)
    }
    rows = []
    with translation.override("vi"):
        for number, registration in enumerate(registrations, start=1):
            screening = screenings.get(registration.pk)
            decision = decisions.get(registration.pk)
            average = selectors.average_score(registration)
            recommended = (
                decision.approved_support
                if decision is not None and decision.outcome != Recommendation.REJECT
                else None
            )
            rows.append(
                [
                    number,
                    registration.title,
                    wording.establishment_name(registration.beneficiary.name),
                    registration.place.full_path,
                    registration.content_area.name,
                    registration.implementing_unit.name if registration.implementing_unit else "",
                    _period(registration),
                    registration.total_investment,
                    registration.requested_from(source.code),
                    registration.counterpart,
                    _screening_text(screening, problems.get(screening.pk, []) if screening else []),
                    screening.priority_total if screening else None,
                    round(average, 1) if average is not None else None,
                    recommended,
                    registration.code,
                ]
            )
        status = selectors.next_year_plan_status(province, year, source)
        workbook = new_workbook()
        sheet = workbook.active
        last = write_table(
            sheet,
            XlsxTable(
                sheet_title="Mẫu 2",
                title=(f"BIỂU TỔNG HỢP ĐỀ ÁN ĐĂNG KÝ KẾ HOẠCH {source.name.upper()} NĂM {year}"),
                subtitle=(
                    f"(Mẫu 2 — Thông tư 36/2013/TT-BCT; {province.name}; lập "
                    f"{wording.date_long(issued_on)}; {LAYOUT_NOTE})"
                ),
                columns=COLUMNS,
                rows=rows,
                money_columns=MONEY_COLUMNS,
                widths=WIDTHS,
                label_column=2,
                count_column=3,
                counted_column=2,
            ),
        )
        write_note(sheet, last + 2, outcome_line(status, source.name), len(COLUMNS), bold=True)
    return save_workbook(
        workbook,
        title=f"Mẫu 2 — {source.name} {year} — {province.name}",
        creator=province.name,
    )
