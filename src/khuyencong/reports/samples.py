"""The seed report as ReportData: what the report builder must produce for Bắc Kạn,
"6 tháng đầu năm 2018" (shared/seed/report-2018-bac-kan.txt).

Used by the tests (composed text against the seed's facts, renderers) and to check an uploaded
DOCX template (``templates_check``); the report pages build from the database
(``builder.build_report``).

Everything the seed states is here as it states it: the 13 projects, their beneficiaries,
communes and districts, statuses at 30 June 2018, the two totals (600 and 529 million đồng),
the month of assignment, the next-year outcome. The seed does NOT give, and this fixture
makes up (plausible values that keep the seed's totals):
  * each project's budget (the national three sum to 600 M, the local ten to 529 M);
  * disbursement (completed projects paid in full, the others nothing yet);
  * content areas of the local projects (read from their titles);
  * the issue date (5 July 2018), the recipients, and the signer's position (the seed names
    only "Nông Thị Thảo").
"""

from __future__ import annotations

import datetime

from khuyencong.documents import wording
from khuyencong.reports.data import (
    Authority,
    NextYearPlan,
    Period,
    PlaceUnit,
    ProjectLine,
    ReportData,
    ReportStatus,
    Signer,
    SourceSection,
)

MILLION = 1_000_000
CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại"
MACHINERY = "Ứng dụng máy móc thiết bị"


def _place(commune_type: str, commune: str, district_type: str, district: str) -> tuple:
    return (
        PlaceUnit(unit_type=commune_type, name=commune),
        PlaceUnit(unit_type=district_type, name=district),
    )


def seed_projects_national() -> tuple[ProjectLine, ...]:
    return (
        ProjectLine(
            reference="KCQG-2018-01",
            title="Hỗ trợ ứng dụng máy móc thiết bị trong chế biến nông lâm sản",
            beneficiary="Hợp tác xã Nông nghiệp Tân Thành",
            place=_place("Xã", "Nông Thượng", "Thành phố", "Bắc Kạn"),
            content_area=MACHINERY,
            status=ReportStatus.CONTRACT_SIGNED,
            budget=250 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCQG-2018-02",
            title="Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất sản phẩm phụ tùng cơ khí",
            beneficiary="Hợp tác xã Thành Ngân",
            place=_place("Xã", "Cường Lợi", "Huyện", "Na Rì"),
            content_area=MACHINERY,
            status=ReportStatus.UNDER_REVIEW,
            status_note="thị trường máy móc thiết bị",
            budget=200 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCQG-2018-03",
            title="Hỗ trợ ứng dụng trong sản xuất các sản phẩm từ tre",
            beneficiary="Công ty trách nhiệm hữu hạn Đinh Lâm",
            place=_place("Thị trấn", "Chợ Rã", "Huyện", "Ba Bể"),
            content_area=MACHINERY,
            status=ReportStatus.STOP_REQUESTED,
            status_note="đơn vị gặp khó khăn về thị trường tiêu thụ",
            budget=150 * MILLION,
            disbursed=0,
        ),
    )


def seed_projects_local() -> tuple[ProjectLine, ...]:
    furniture = "Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng"
    return (
        ProjectLine(
            reference="KCĐP-2018-01",
            title="Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2018",
            content_area="Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
            status=ReportStatus.COMPLETED,
            budget=80 * MILLION,
            disbursed=80 * MILLION,
        ),
        ProjectLine(
            reference="KCĐP-2018-02",
            title="Hỗ trợ kinh phí khảo sát xây dựng kế hoạch khuyến công năm 2019",
            content_area="Khảo sát, xây dựng kế hoạch khuyến công",
            status=ReportStatus.COMPLETED,
            budget=20 * MILLION,
            disbursed=20 * MILLION,
        ),
        ProjectLine(
            reference="KCĐP-2018-03",
            title="Thông tin, tuyên truyền hoạt động Khuyến công",
            content_area="Thông tin, tuyên truyền",
            status=ReportStatus.IN_PROGRESS,
            progress_percent=50,
            budget=50 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-04",
            title="Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn",
            content_area="Hội chợ, triển lãm",
            status=ReportStatus.IN_PROGRESS,
            progress_percent=50,
            budget=100 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-05",
            title="Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm",
            content_area="Thiết kế mẫu mã, bao bì",
            status=ReportStatus.IN_PROGRESS,
            progress_percent=50,
            budget=60 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-06",
            title=furniture,
            beneficiary="Hộ kinh doanh Lại Văn Tú",
            place=_place("Xã", "Quang Phong", "Huyện", "Na Rì"),
            content_area=MACHINERY,
            status=ReportStatus.IN_PROGRESS,
            progress_percent=50,
            budget=60 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-07",
            title=furniture,
            beneficiary="Hợp tác xã Thành Long",
            place=_place("Xã", "Yên Hân", "Huyện", "Chợ Mới"),
            content_area=MACHINERY,
            status=ReportStatus.STOP_REQUESTED,
            budget=60 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-08",
            title="Hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat",
            beneficiary="Hộ kinh doanh Sằm Văn Thường",
            place=_place("Xã", "Côn Minh", "Huyện", "Na Rì"),
            content_area=MACHINERY,
            status=ReportStatus.STOP_REQUESTED,
            budget=50 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-09",
            title="Hội nghị tập huấn công tác khuyến công",
            content_area="Hội nghị tập huấn",
            status=ReportStatus.NOT_STARTED,
            budget=20 * MILLION,
            disbursed=0,
        ),
        ProjectLine(
            reference="KCĐP-2018-10",
            title="Hỗ trợ kinh phí quản lý chương trình đề án khuyến công năm 2018",
            content_area="Quản lý chương trình, đề án khuyến công",
            status=ReportStatus.NOT_STARTED,
            budget=29 * MILLION,
            disbursed=0,
        ),
    )


def seed_report_2018() -> ReportData:
    """Sở Công Thương Bắc Kạn's report on the 2018 plan at 30 June 2018."""
    return ReportData(
        authority=Authority(
            parent="UBND TỈNH BẮC KẠN",
            name="SỞ CÔNG THƯƠNG",
            name_in_text="Sở Công Thương",
            short_in_text="Sở",
        ),
        symbol="BC-SCT",
        place_name="Bắc Kạn",
        issued_on=datetime.date(2018, 7, 5),
        as_of=datetime.date(2018, 6, 30),
        title=(
            "Kết quả thực hiện kế hoạch khuyến công năm 2018 và mục tiêu, định hướng kế hoạch "
            "khuyến công năm 2019"
        ),
        period=Period(kind="H1", year=2018),
        scope_label="tỉnh Bắc Kạn",
        legal_basis=wording.legal_citation(
            "Nghị định", "45/2012/NĐ-CP", datetime.date(2012, 5, 21), "Chính phủ", "khuyến công"
        ),
        local_programme="Chương trình khuyến công tỉnh Bắc Kạn giai đoạn 2016 – 2020",
        sections=(
            SourceSection(
                source_code="national",
                label="Khuyến công quốc gia",
                short_label="KCQG",
                year=2018,
                implementer=CENTRE,
                content_summary="hỗ trợ ứng dụng máy móc thiết bị",
                assigned_by="Cục Công thương địa phương",
                assigned_on=datetime.date(2018, 5, 1),
                projects=seed_projects_national(),
            ),
            SourceSection(
                source_code="local",
                label="Khuyến công địa phương",
                short_label="KCĐP",
                year=2018,
                implementer=CENTRE,
                projects=seed_projects_local(),
            ),
        ),
        focus_areas=(
            "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật để phổ biến công nghệ mới, sản xuất "
            "sản phẩm mới",
            "Hỗ trợ ứng dụng máy móc thiết bị, chuyển giao công nghệ tiên tiến vào sản xuất công "
            "nghiệp – tiểu thủ công nghiệp",
            "Hỗ trợ xây dựng và đăng ký thương hiệu, nhãn hiệu đối với các sản phẩm công nghiệp "
            "nông thôn",
        ),
        next_year=NextYearPlan(year=2019, registrations_received=True, national_qualified=0),
        recipients=(
            "Cục Công Thương địa phương (b/c)",
            "UBND tỉnh Bắc Kạn (b/c)",
            "Lãnh đạo Sở",
            "Trung tâm Khuyến công và XTTM",
            "Lưu: VT, QLCN",
        ),
        signer=Signer(capacity="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Nông Thị Thảo"),
    )
