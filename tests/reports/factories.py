"""Builders of ReportData for tests (plain dataclasses: no database, no factory_boy)."""

from __future__ import annotations

import dataclasses
from typing import Any

from khuyencong.reports.data import PlaceUnit, ProjectLine, ReportData, ReportStatus, SourceSection
from khuyencong.reports.samples import seed_report_2018

MILLION = 1_000_000


def project(title: str = "Hỗ trợ ứng dụng máy móc thiết bị", **kwargs: Any) -> ProjectLine:
    values: dict[str, Any] = {"status": ReportStatus.COMPLETED, "budget": 100 * MILLION}
    values.update(kwargs)
    return ProjectLine(title=title, **values)


def place(commune: str = "Nông Thượng", district: str = "Bắc Kạn") -> tuple[PlaceUnit, ...]:
    return (
        PlaceUnit(unit_type="Xã", name=commune),
        PlaceUnit(unit_type="Huyện", name=district),
    )


def section(*projects: ProjectLine, **kwargs: Any) -> SourceSection:
    values: dict[str, Any] = {
        "source_code": "local",
        "label": "Khuyến công địa phương",
        "short_label": "KCĐP",
        "year": 2018,
        "implementer": "Trung tâm Khuyến công và Xúc tiến thương mại",
    }
    values.update(kwargs)
    return SourceSection(projects=tuple(projects), **values)


def report(*sections: SourceSection, **kwargs: Any) -> ReportData:
    """The seed report with other sections (and any field replaced)."""
    base = seed_report_2018()
    if sections:
        kwargs["sections"] = tuple(sections)
    return dataclasses.replace(base, **kwargs)
