"""What each source's paragraph states (issue 19), on hand-made data: citations, content
groups, the disbursement rate, carried-over and group projects, a year without a plan, and
next year's registrations when none is recorded. The sentence shapes are those published in
docs/reports.md."""

from __future__ import annotations

from decimal import Decimal

from khuyencong.reports import compose
from khuyencong.reports.data import NextYearPlan, ReportStatus
from tests.reports.factories import MILLION, place, project, report, section


def intro(*projects, **kwargs) -> str:
    data = report(section(*projects, **kwargs))
    return compose.source_intro(data.sections[0], data)


def test_citations_follow_the_first_sentence():
    text = intro(
        project(),
        citations=(
            "Quyết định số 12/QĐ-UBND ngày 5/1/2018 của UBND tỉnh Bắc Kạn phê duyệt kế hoạch "
            "năm 2018",
            "Công văn số 45/CTĐP-KC ngày 20/3/2018 của Cục Công Thương địa phương (đợt 1, 100 "
            "triệu đồng)",
        ),
    )
    assert (
        "kinh phí 100 triệu đồng. Căn cứ: Quyết định số 12/QĐ-UBND ngày 5/1/2018 của UBND tỉnh "
        "Bắc Kạn phê duyệt kế hoạch năm 2018; Công văn số 45/CTĐP-KC ngày 20/3/2018 của Cục "
        "Công Thương địa phương (đợt 1, 100 triệu đồng)."
    ) in text
    assert "Căn cứ" not in intro(project())


def test_content_groups_only_with_more_than_one_group_and_they_add_up():
    one = intro(project(content_group="A"), project(content_group="A"))
    assert "Theo nhóm nội dung" not in one
    lines = [
        project(content_group="Ứng dụng máy móc", budget=1_000 * MILLION),
        project(content_group="Sản phẩm tiêu biểu", budget=487_500_000),
        project(content_group="Ứng dụng máy móc", budget=350 * MILLION),
    ]
    text = intro(*lines)
    assert (
        "Theo nhóm nội dung: nhóm “Ứng dụng máy móc” 02 đề án, kinh phí 1,35 tỷ đồng; nhóm “Sản "
        "phẩm tiêu biểu” 01 đề án, kinh phí 487,5 triệu đồng."
    ) in text
    groups = section(*lines).content_groups
    assert sum(group.budget for group in groups) == section(*lines).plan_budget


def test_disbursement_rate_is_disbursed_over_the_plan_projects_budget():
    lines = [project(budget=400 * MILLION, disbursed=200 * MILLION), project(budget=200 * MILLION)]
    assert section(*lines).disbursement_rate == Decimal("33.3")
    assert "Đến ngày 30/6/2018, đã giải ngân 200 triệu đồng, đạt 33,3% kế hoạch vốn." in intro(
        *lines
    )
    assert "giải ngân" not in intro(project(disbursed=None))
    assert "Đến ngày 30/6/2018, chưa giải ngân kinh phí." in intro(project(disbursed=0))


def test_carried_over_projects_have_their_own_paragraph_and_are_not_counted_in_the_plan():
    data = report(
        section(
            project("Đề án năm nay", budget=100 * MILLION, disbursed=0),
            project(
                "Đề án cũ",
                budget=300 * MILLION,
                disbursed=250 * MILLION,
                carried_over_from="năm 2017",
                beneficiary="Hợp tác xã Tân Thành",
                place=place(),
            ),
        )
    )
    texts = [paragraph.text for paragraph in compose.compose_source(data.sections[0], data)]
    assert (
        "được giao thực hiện 01 đề án từ nguồn khuyến công địa phương, kinh phí 100 triệu"
        in (texts[0])
    )
    assert texts[2] == (
        "Ngoài ra, Trung tâm tiếp tục thực hiện 01 đề án chuyển tiếp từ kế hoạch năm 2017, kinh "
        "phí 300 triệu đồng; đến ngày 30/6/2018, đã giải ngân 250 triệu đồng. Kết quả thực hiện "
        "từng đề án chuyển tiếp như sau:"
    )
    assert texts[3].startswith(
        "– Đề án “Đề án cũ” (chuyển tiếp từ kế hoạch năm 2017), đơn vị thụ hưởng là HTX Tân "
        "Thành, xã Nông Thượng, huyện Bắc Kạn đã hoàn thành"
    )


def test_a_group_project_shows_its_participants_never_a_beneficiary():
    group = project(
        "Hỗ trợ máy chế biến chè",
        kind="group",
        group_size=5,
        place=place(),
        status=ReportStatus.CONTRACT_SIGNED,
    )
    assert compose.project_line(group) == (
        "Đề án “Hỗ trợ máy chế biến chè” tại xã Nông Thượng, huyện Bắc Kạn (đề án nhóm hỗ trợ 05 "
        "cơ sở, đến nay chưa có cơ sở tham gia) đã triển khai ký kết hợp đồng và thực hiện theo "
        "kế hoạch"
    )
    joined = project(
        "Hỗ trợ máy chế biến chè",
        kind="group",
        group_size=5,
        participants=("HTX A, xã B", "HKD C, xã D"),
    )
    assert (
        "(đề án nhóm hỗ trợ 05 cơ sở, đến nay đã có 02 cơ sở tham gia: HTX A, xã B; HKD C, xã D)"
        in compose.group_item(joined)
    )
    assert "đơn vị thụ hưởng" not in compose.group_item(joined)


def test_a_year_without_a_plan_says_so_neutrally():
    data = report(sections=())
    texts = [paragraph.text for paragraph in compose.compose_section_one(data)]
    assert texts[1] == "Chưa có số liệu kế hoạch khuyến công năm 2018 của tỉnh Bắc Kạn."


def test_no_dossier_received_only_when_the_registration_period_is_closed():
    open_period = report(next_year=NextYearPlan(year=2019, registrations_received=False))
    closed = report(
        next_year=NextYearPlan(year=2019, registrations_received=False, registration_closed=True)
    )
    assert "chưa nhận được hồ sơ" not in compose.default_next_year_text(open_period)
    assert "chưa nhận được hồ sơ đăng ký" in compose.default_next_year_text(closed)


def test_a_snapshot_keeps_the_new_facts():
    from khuyencong.reports import snapshot

    data = report(
        section(
            project(kind="group", group_size=3, participants=("HTX A, xã B",)),
            project(carried_over_from="năm 2017", content_group="Nhóm 3"),
            citations=("Quyết định số 1/QĐ-UBND ngày 2/1/2018 của UBND tỉnh",),
        ),
        warnings=("Lưu ý.",),
    )
    assert snapshot.load(snapshot.dump(data)) == data
