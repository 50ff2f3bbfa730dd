"""compose.py: grouping, layouts, defaults and overrides, beyond the seed's own case."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from khuyencong.reports import compose
from khuyencong.reports.data import NextYearOutcome, NextYearPlan, Period, ReportStatus
from tests.reports.factories import MILLION, place, project, report, section


def texts(data) -> list[str]:
    return [paragraph.text for paragraph in compose.compose(data)]


def test_status_groups_are_ordered_and_split_by_percentage():
    projects = [
        project("A", status=ReportStatus.NOT_STARTED),
        project("B", status=ReportStatus.IN_PROGRESS, progress_percent=30),
        project("C", status=ReportStatus.COMPLETED),
        project("D", status=ReportStatus.IN_PROGRESS, progress_percent=Decimal("62.5")),
        project("E", status=ReportStatus.IN_PROGRESS, progress_percent=30),
        project("F", status=ReportStatus.STOP_REQUESTED),
    ]
    groups = compose.status_groups(projects)
    assert [(group.status, group.progress_percent) for group in groups] == [
        (ReportStatus.COMPLETED, None),
        (ReportStatus.IN_PROGRESS, Decimal("62.5")),
        (ReportStatus.IN_PROGRESS, 30),
        (ReportStatus.STOP_REQUESTED, None),
        (ReportStatus.NOT_STARTED, None),
    ]
    assert [p.title for p in groups[2].projects] == ["B", "E"]  # given order kept
    assert groups[1].phrase == "đã hoàn thành được 62,5% khối lượng công việc"


@pytest.mark.parametrize(("count", "per_project"), [(1, True), (5, True), (6, False), (10, False)])
def test_auto_layout_lists_small_sections_project_by_project(count, per_project):
    data = report(section(*[project(f"Đề án {n}") for n in range(count)]))
    lines = [text for text in texts(data) if text.startswith("– ")][:count]
    assert lines[0].startswith("– Đề án “Đề án 0”") is per_project
    intro = next(text for text in texts(data) if text.startswith("Đối với"))
    assert intro.endswith(
        "Kết quả thực hiện từng đề án như sau:" if per_project else "Kết quả như sau:"
    )


def test_layout_can_be_forced_either_way():
    two = [project("A"), project("B", status=ReportStatus.NOT_STARTED)]
    grouped = texts(report(section(*two, layout="by_status")))
    assert "– 01/02 đề án đã hoàn thành là đề án “A”;" in grouped
    assert "– 01/02 đề án chưa thực hiện là đề án “B”." in grouped
    many = [project(f"P{n}") for n in range(8)]
    listed = texts(report(section(*many, layout="per_project")))
    assert sum(text.startswith("– Đề án “P") for text in listed) == 8


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError):
        section(project(), layout="table")


def test_project_line_without_beneficiary_names_its_place():
    line = compose.project_line(project("X", place=place("Côn Minh", "Na Rì")))
    assert line == "Đề án “X” tại xã Côn Minh, huyện Na Rì đã hoàn thành"
    assert compose.project_line(project("Y")) == "Đề án “Y” đã hoàn thành"


def test_grouped_stop_request_gives_its_reason():
    item = compose.group_item(
        project("X", status=ReportStatus.STOP_REQUESTED, status_note="thiếu vốn đối ứng")
    )
    assert item == "đề án “X” do thiếu vốn đối ứng"


def test_section_without_projects_says_so():
    paragraphs = compose.compose_source(section(), report())
    assert [p.text for p in paragraphs] == [
        "Đối với Khuyến công địa phương: Năm 2018, Trung tâm Khuyến công và Xúc tiến thương mại "
        "không được giao thực hiện đề án nào từ nguồn khuyến công địa phương."
    ]


def test_single_assigned_project_reads_singular_and_total_in_billions():
    data = report(
        section(
            project(budget=1_250 * MILLION),
            label="Khuyến công quốc gia",
            assigned_by="Cục Công Thương địa phương",
            assigned_on=datetime.date(2019, 3, 12),
        )
    )
    intro = next(text for text in texts(data) if text.startswith("Đối với"))
    assert (
        "được giao thực hiện 01 đề án từ nguồn khuyến công quốc gia, kinh phí 1,25 tỷ đồng."
        in intro
    )
    assert "Đề án này được Cục Công Thương địa phương giao nhiệm vụ từ tháng 3/2019." in intro
    assert "Ngay sau khi được giao, Sở đã chỉ đạo" in intro


def test_edited_source_narrative_replaces_the_default():
    data = report(section(project(), narrative="Trung tâm đã làm việc với từng đơn vị."))
    intro = next(text for text in texts(data) if text.startswith("Đối với"))
    assert "Trung tâm đã làm việc với từng đơn vị." in intro
    assert "đôn đốc" not in intro


@pytest.mark.parametrize(
    ("kind", "heading_one", "heading_two"),
    [
        ("H1", "khuyến công 6 tháng đầu năm 2018:", "khuyến công 6 tháng cuối năm 2018:"),
        ("9M", "khuyến công 9 tháng đầu năm 2018:", "khuyến công quý IV năm 2018:"),
        ("Y", "khuyến công năm 2018:", "khuyến công năm 2019:"),
    ],
)
def test_headings_follow_the_period(kind, heading_one, heading_two):
    data = report(period=Period(kind=kind, year=2018))
    headings = [p.text for p in compose.compose(data) if p.kind == compose.HEADING]
    assert headings[0].endswith(heading_one)
    assert headings[1].endswith(heading_two)
    assert headings[2] == "Thứ ba, về kế hoạch khuyến công năm 2019:"


def test_year_end_solutions_aim_at_next_year():
    data = report(period=Period(kind="Y", year=2018))
    assert compose.default_solutions(data)[0].startswith(
        "Dự kiến thực hiện kế hoạch khuyến công năm 2019:"
    )


def test_training_audience_follows_the_2025_reform():
    before = compose.default_solutions(report())
    after = compose.default_solutions(report(as_of=datetime.date(2025, 12, 31)))
    assert "Phòng Kinh tế – Hạ tầng các huyện" in before[3]
    assert "UBND các xã, phường, đặc khu" in after[3]
    assert "huyện" not in after[3]


def test_edited_solutions_and_orientation_replace_the_defaults():
    data = report(
        solutions=("Giải pháp một;", "  ", "Giải pháp hai."), orientation=("Định hướng.",)
    )
    body = texts(data)
    start = body.index(compose.section_two_heading(data))
    assert body[start + 1 : start + 3] == ["– Giải pháp một;", "– Giải pháp hai."]
    three = body.index(compose.section_three_heading(data))
    assert body[three + 1] == "Định hướng."


def test_next_year_outcomes():
    def sentence(plan):
        return compose.default_next_year_text(report(next_year=plan))

    # none recorded while the registration period is not recorded as closed: nothing claimed
    open_period = NextYearPlan(year=2019, registrations_received=False)
    assert open_period.outcome == NextYearOutcome.NO_REGISTRATIONS
    assert "chưa nhận được hồ sơ" not in sentence(open_period)
    assert "“Nguồn”" not in sentence(open_period)
    none = NextYearPlan(year=2019, registrations_received=False, registration_closed=True)
    assert none.outcome == NextYearOutcome.NO_REGISTRATIONS
    assert "chưa nhận được hồ sơ đăng ký" in sentence(none)
    assert "chưa có “Nguồn”" in sentence(none)

    unqualified = NextYearPlan(year=2019, registration_count=7)
    assert unqualified.outcome == NextYearOutcome.NO_NATIONAL_SOURCE
    assert "đã nhận được 07 hồ sơ đăng ký" in sentence(unqualified)
    assert "chưa có đề án nào đáp ứng được yêu cầu" in sentence(unqualified)

    qualified = NextYearPlan(
        year=2019, registration_count=7, national_qualified=2, national_budget=900 * MILLION
    )
    assert qualified.outcome == NextYearOutcome.NATIONAL_SOURCE
    text = sentence(qualified)
    assert "có 02 đề án đáp ứng được yêu cầu" in text
    assert "900 triệu đồng" in text
    assert "chưa có “Nguồn”" not in text


def test_edited_next_year_text_and_no_next_year():
    plan = NextYearPlan(year=2019, text="Đã có nguồn.")
    assert texts(report(next_year=plan))[-1] == "Đã có nguồn."
    data = report(next_year=None)
    assert compose.default_next_year_text(data) == ""
    assert "Nguồn" not in texts(data)[-1]


def test_project_line_validation():
    with pytest.raises(ValueError, match="work done"):
        project(status=ReportStatus.IN_PROGRESS)
    with pytest.raises(ValueError, match="work done"):
        project(status=ReportStatus.IN_PROGRESS, progress_percent=100)
    with pytest.raises(ValueError, match="money"):
        project(budget=-1)
    with pytest.raises(ValueError, match="money"):
        project(budget=1.5)
    with pytest.raises(ValueError):
        project(status="finished")
    assert project(status="completed").status is ReportStatus.COMPLETED


def test_section_totals_are_derived_from_the_lines():
    data = section(project(budget=3, disbursed=1), project(budget=4, disbursed=None))
    assert (data.project_count, data.total_budget, data.total_disbursed) == (2, 7, 1)


def test_number_line_leaves_room_until_the_number_is_given():
    assert report().number_line == "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-SCT"
    assert dataclasses.replace(report(), number="125").number_line == "Số: 125/BC-SCT"
