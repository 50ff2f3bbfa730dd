"""The charts of a report (its annex of charts), from the report's own figures, drawn by
``documents.charts``."""

from __future__ import annotations

from khuyencong.documents import wording
from khuyencong.documents.charts import MONEY, BarChart, Series
from khuyencong.reports.data import ReportStatus


def report_charts(data: object) -> list[BarChart]:
    """Projects by status and money by funding source, from a ``ReportData``: the same
    figures the text states (status groups and section totals)."""
    sections = [section for section in data.sections if section.projects]  # type: ignore[attr-defined]
    if not sections:
        return []
    present = [
        status
        for status in ReportStatus
        if any(p.status == status for section in sections for p in section.projects)
    ]
    status_chart = BarChart(
        key="status",
        title="Số đề án theo tình trạng thực hiện",
        categories=tuple(wording.STATUS_SHORT[status] for status in present),
        series=tuple(
            Series(
                section.label,
                tuple(sum(1 for p in section.projects if p.status == s) for s in present),
            )
            for section in sections
        ),
    )
    money_chart = BarChart(
        key="money",
        title="Kinh phí giao và đã giải ngân theo nguồn",
        categories=tuple(section.label for section in sections),
        series=(
            Series("Kinh phí", tuple(section.total_budget for section in sections)),
            Series("Đã giải ngân", tuple(section.total_disbursed for section in sections)),
        ),
        unit=MONEY,
    )
    return [status_chart, money_chart]
