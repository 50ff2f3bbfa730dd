"""Four invented provinces of different shapes (tests/reports/provinces.py): for each, the facts
its half-year or annual report must state, checked in the text of the generated DOCX and PDF
(issue 19). The facts are written here from the fixture's invented documents and amounts, not
read back from the report."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest

from khuyencong.documents import wording
from khuyencong.reports import render
from khuyencong.reports.builder import build_report
from khuyencong.reports.compose import compose
from tests.reports import provinces
from tests.reports.conftest import flat, pdf_text

MAIN_SOURCE = {
    "lang_son": "Khuyến công địa phương",
    "thai_nguyen": "Khuyến công quốc gia",
    "nghe_an": "Khuyến công địa phương",
    "quang_ngai": "Khuyến công địa phương",
}
CENTRE = "Trung tâm Khuyến công và Xúc tiến thương mại"
LS_PLAN = "Quyết định số 1950/QĐ-UBND ngày 15/12/2023 của UBND tỉnh Lạng Sơn phê duyệt kế hoạch"
QN = "của UBND tỉnh Quảng Ngãi"
GROUP_3 = (
    "Xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ và ứng dụng máy móc tiên tiến"
)


def _lead(year: int, count: str, money: str, source: str = "địa phương", content: str = "") -> str:
    content = f"{content} " if content else ""
    return (
        f"Năm {year}, {CENTRE} được giao thực hiện {count} đề án {content}từ nguồn khuyến công "
        f"{source}, kinh phí {money}."
    )


# (province, year, period) -> facts its report states, in the DOCX and in the PDF
FACTS: dict[tuple[str, int, str], list[str]] = {
    ("lang_son", 2025, "H1"): [
        _lead(2025, "04", "1,14 tỷ đồng"),
        f"Căn cứ: {LS_PLAN} giai đoạn 2024 – 2026.",
        "Đến ngày 30/6/2025, đã giải ngân 475 triệu đồng, đạt 41,7% kế hoạch vốn.",
        "Đề án “Hỗ trợ ứng dụng máy chưng cất tinh dầu hồi”, đơn vị thụ hưởng là HTX Hồi Quế "
        "Bình Gia, {HTX Hồi Quế Bình Gia} đã hoàn thành;",
        "Đề án “Xây dựng mô hình trình diễn kỹ thuật sản xuất miến dong”, đơn vị thụ hưởng là "
        "HTX Miến dong Hoàng Đồng, {HTX Miến dong Hoàng Đồng} đã hoàn thành được 50% khối lượng "
        "công việc;",
        "Đề án “Tổ chức hội nghị tập huấn công tác khuyến công” đã hoàn thành;",
        "Đề án “Hỗ trợ ứng dụng máy đóng gói miến dong”, đơn vị thụ hưởng là HTX Miến dong Bình "
        "Gia, {HTX Miến dong Bình Gia} chưa thực hiện.",
    ],
    ("lang_son", 2026, "Y"): [
        _lead(2026, "04", "1,14 tỷ đồng"),
        f"Căn cứ: {LS_PLAN} giai đoạn 2024 – 2026.",
        "Đến ngày 31/12/2026, đã giải ngân 895 triệu đồng, đạt 78,5% kế hoạch vốn.",
        "Đề án “Xây dựng mô hình trình diễn kỹ thuật sản xuất miến dong”, đơn vị thụ hưởng là "
        "HTX Miến dong Hoàng Đồng, {HTX Miến dong Hoàng Đồng} đã hoàn thành;",
        "Đề án “Hỗ trợ ứng dụng máy đóng gói miến dong”, đơn vị thụ hưởng là HTX Miến dong Bình "
        "Gia, {HTX Miến dong Bình Gia} đã hoàn thành được 50% khối lượng công việc.",
    ],
    ("lang_son", 2027, "H1"): [
        f"Năm 2027, {CENTRE} không được giao thực hiện đề án nào từ nguồn khuyến công địa phương.",
        "Ngoài ra, Trung tâm tiếp tục thực hiện 01 đề án chuyển tiếp từ kế hoạch giai đoạn "
        "2024 – 2026, kinh phí 350 triệu đồng; đến ngày 30/6/2027, đã giải ngân 105 triệu đồng.",
        "Đề án “Hỗ trợ ứng dụng máy đóng gói miến dong” (chuyển tiếp từ kế hoạch giai đoạn 2024 "
        "– 2026), đơn vị thụ hưởng là HTX Miến dong Bình Gia, {HTX Miến dong Bình Gia} đã hoàn "
        "thành.",
    ],
    ("thai_nguyen", 2024, "Y"): [
        _lead(2024, "02", "1,5 tỷ đồng", "quốc gia", "hỗ trợ ứng dụng máy móc thiết bị"),
        "Căn cứ: Quyết định số 3050/QĐ-BCT ngày 1/3/2024 của Bộ Công Thương phê duyệt kế hoạch "
        "năm 2024; Công văn số 45/CTĐP-KC ngày 20/3/2024 của Cục Công Thương địa phương (đợt 1, "
        "600 triệu đồng); Quyết định số 112/QĐ-CTĐP ngày 15/7/2024 của Cục Công Thương địa "
        "phương (đợt 2, 900 triệu đồng).",
        "Các đề án này được Cục Công Thương địa phương giao nhiệm vụ từ tháng 4/2024.",
        "Đến ngày 31/12/2024, đã giải ngân 850 triệu đồng, đạt 56,7% kế hoạch vốn.",
        "Đề án “Hỗ trợ ứng dụng máy sao sấy chè tự động”, đơn vị thụ hưởng là HTX Chè Tân Cương, "
        "{HTX Chè Tân Cương} đã hoàn thành;",
        "Đề án “Hỗ trợ ứng dụng máy móc thiết bị trong chế biến chè” tại {district} (đề án nhóm "
        "hỗ trợ 05 cơ sở, đến nay đã có 03 cơ sở tham gia: HTX Chè La Bằng, {HTX Chè La Bằng}; "
        "HKD Nguyễn Văn Hải, {Hộ kinh doanh Nguyễn Văn Hải}; HTX Chè Phúc Xuân, {HTX Chè Phúc "
        "Xuân}) đã triển khai ký kết hợp đồng và thực hiện theo kế hoạch.",
    ],
    ("nghe_an", 2025, "H1"): [
        _lead(2025, "16", "2.047.250.000 đồng"),
        "Căn cứ: Quyết định số 3789/QĐ-UBND ngày 26/12/2024 của UBND tỉnh Nghệ An phê duyệt kế "
        "hoạch năm 2025.",
        f"Theo nhóm nội dung: nhóm “{GROUP_3}” 05 đề án, kinh phí 1,35 tỷ đồng; nhóm “Phát triển "
        "sản phẩm công nghiệp nông thôn tiêu biểu” 04 đề án, kinh phí 487,5 triệu đồng; nhóm "
        "“Đào tạo nghề, truyền nghề” 03 đề án, kinh phí 62,5 triệu đồng; nhóm “Cung cấp thông "
        "tin, tuyên truyền” 02 đề án, kinh phí 82,25 triệu đồng; nhóm “Nâng cao năng lực quản lý "
        "và tổ chức thực hiện hoạt động khuyến công” 02 đề án, kinh phí 65 triệu đồng.",
        "Đến ngày 30/6/2025, đã giải ngân 165 triệu đồng, đạt 8,1% kế hoạch vốn.",
        "02/16 đề án đã hoàn thành gồm: đề án “Bình chọn sản phẩm công nghiệp nông thôn tiêu "
        "biểu năm 2025”; đề án “Thông tin, tuyên truyền hoạt động khuyến công”;",
        "04/16 đề án đã hoàn thành được 50% khối lượng công việc gồm:",
        "04/16 đề án đã ký kết hợp đồng và đang thực hiện theo kế hoạch gồm:",
        "01/16 đề án xin dừng thực hiện là đề án “Hỗ trợ ứng dụng lò sấy gỗ” tại {HTX Mộc Nghi "
        "Lộc} (đơn vị thụ hưởng là HTX Mộc Nghi Lộc) do đơn vị gặp khó khăn về mặt bằng sản "
        "xuất;",
        "05/16 đề án chưa thực hiện gồm:",
        "đề án “Quản lý chương trình, kế hoạch khuyến công năm 2025”.",
    ],
    ("quang_ngai", 2024, "Y"): [
        _lead(2024, "07", "1,45 tỷ đồng"),
        f"Căn cứ: Quyết định số 2890/QĐ-UBND ngày 25/12/2023 {QN} phê duyệt kế hoạch năm 2024, "
        f"được bổ sung tại Quyết định số 512/QĐ-UBND ngày 10/5/2024 {QN}; Quyết định số "
        f"1234/QĐ-UBND ngày 20/8/2024 {QN} phê duyệt kế hoạch bổ sung năm 2024.",
        "Đến ngày 31/12/2024, đã giải ngân 595 triệu đồng, đạt 41% kế hoạch vốn.",
        "03/07 đề án đã hoàn thành gồm: đề án “Hỗ trợ ứng dụng máy bóc vỏ tỏi” tại {HTX Tỏi Lý "
        "Sơn} (đơn vị thụ hưởng là HTX Tỏi Lý Sơn); đề án “Quản lý chương trình khuyến công năm "
        "2024”; đề án “Hỗ trợ tham gia hội chợ triển lãm khu vực miền Trung”;",
        "01/07 đề án đã hoàn thành được 70% khối lượng công việc là đề án “Hỗ trợ ứng dụng nồi "
        "nấu đường phèn”",
        "01/07 đề án chưa thực hiện là đề án “Đào tạo nghề chế biến tỏi đen”",
    ],
}


@pytest.fixture(scope="module")
def invented(django_db_setup, django_db_blocker):
    """The four provinces built once per module, and each report of ``FACTS`` generated as
    DOCX and PDF (all rolled back at the module's end)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        built = {name: builder() for name, builder in provinces.BUILDERS.items()}
        files = {}
        for name, year, period in FACTS:
            data = report(built[name], year, period)
            files[(name, year, period)] = SimpleNamespace(
                data=data,
                docx=flat(docx_text(render.render_docx(data))),
                pdf=pdf_text(render.render_pdf(data)),
            )
        yield SimpleNamespace(files=files, **built)
        transaction.set_rollback(True)


def report(province, year, period, **kwargs):
    return build_report(
        user=None,
        province=province.unit,
        year=year,
        period=period,
        issued_on=kwargs.pop("issued_on", datetime.date(year, 12, 31)),
        **kwargs,
    )


def docx_text(content: bytes) -> str:
    from docx import Document

    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)


def place_of(unit) -> str:
    """ "phường Đông Kinh, thành phố Lạng Sơn": a unit and its parents up to the district, as
    a province's report writes a place."""
    units = []
    while unit is not None and unit.level != "province":
        units.append((unit.unit_type, unit.short_name))
        unit = unit.parent
    return wording.place_label(units)


def expected(fact: str, province) -> str:
    """A fact with each {beneficiary name} replaced by that beneficiary's place ({district}:
    the province's first district)."""
    values = {name: place_of(person.commune) for name, person in province.people.items()}
    values["district"] = place_of(province.communes[0].parent)
    return fact.format(**values)


CASES = [(key, fact) for key, facts in FACTS.items() for fact in facts]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize(("key", "fact"), CASES, ids=[f"{k[0]}-{k[1]}-{k[2]}" for k, _f in CASES])
def test_the_report_states_the_fact(invented, db, key, fact, fmt):
    province = getattr(invented, key[0])
    text = getattr(invented.files[key], fmt)
    assert flat(expected(fact, province)) in text


@pytest.mark.parametrize("key", list(FACTS), ids=[f"{k[0]}-{k[1]}-{k[2]}" for k in FACTS])
def test_each_source_opens_with_its_label(invented, key):
    files = invented.files[key]
    assert f"Đối với {MAIN_SOURCE[key[0]]}: Năm {key[1]}," in files.docx
    assert f"Đối với {MAIN_SOURCE[key[0]]}: Năm {key[1]}," in files.pdf


def test_content_groups_add_up_to_the_section(invented):
    section = invented.files[("nghe_an", 2025, "H1")].data.sections[0]
    groups = section.content_groups
    assert len(groups) == 5
    assert sum(group.count for group in groups) == section.plan_count == 16
    assert sum(group.budget for group in groups) == section.plan_budget == 2_047_250_000
    assert [wording.money_short(group.budget) for group in groups[:2]] == [
        "1,35 tỷ đồng",
        "487,5 triệu đồng",
    ]


def test_a_group_project_never_shows_a_beneficiary(invented):
    data = invented.files[("thai_nguyen", 2024, "Y")].data
    group = next(line for line in data.sections[0].projects if line.is_group)
    assert group.beneficiary == ""
    assert group.group_size == 5
    assert len(group.participants) == 3
    line = next(p.text for p in compose(data) if "chế biến chè”" in p.text)
    assert "đơn vị thụ hưởng" not in line


def test_centre_projects_name_no_beneficiary(invented):
    data = invented.files[("quang_ngai", 2024, "Y")].data
    line = next(p for p in data.sections[0].projects if p.reference == "QN-04")
    assert line.kind == "centre" and line.beneficiary == "" and line.place == ()


def test_the_earlier_plan_is_carried_over_only_while_work_is_recorded(invented, db):
    lang_son = invented.lang_son
    year_2024 = report(lang_son, 2024, "Y")
    carried = [line for line in year_2024.sections[0].projects if line.carried_over]
    assert [(line.reference, line.carried_over_from) for line in carried] == [
        ("LS-2023-01", "năm 2023")
    ]
    assert year_2024.sections[0].plan_count == 4  # the 2024–2026 plan's projects
    assert all(
        line.reference != "LS-2023-01"
        for line in invented.files[("lang_son", 2025, "H1")].data.sections[0].projects
    )


def test_a_year_without_a_plan_is_produced_with_a_warning(invented):
    data = invented.files[("lang_son", 2027, "H1")].data
    assert any("2027" in warning for warning in data.warnings)
    assert data.sections[0].plan_count == 0 and len(data.sections[0].carried_projects) == 1


def test_citations_follow_the_report_date(invented, db):
    # at 30/6/2024 the second batch (15/7) and the supplementary plan (20/8) did not exist
    thai = report(invented.thai_nguyen, 2024, "H1").sections[0]
    assert [citation.split(" ngày ")[0] for citation in thai.citations] == [
        "Quyết định số 3050/QĐ-BCT",
        "Công văn số 45/CTĐP-KC",
    ]
    assert thai.plan_count == 1  # the group project was approved in July
    quang = report(invented.quang_ngai, 2024, "H1").sections[0]
    assert len(quang.citations) == 1 and "1234/QĐ-UBND" not in quang.citations[0]
    assert "được bổ sung tại Quyết định số 512/QĐ-UBND" in quang.citations[0]


def test_the_command_prints_the_warnings(invented, db, tmp_path):
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report",
        "--province",
        "Quảng Ngãi",
        "--year",
        "2024",
        "--period",
        "Y",
        "--format",
        "xlsx",
        "-o",
        str(tmp_path / "qn.xlsx"),
        stdout=out,
        stderr=err,
    )
    data = invented.files[("quang_ngai", 2024, "Y")].data
    assert data.warnings  # no registration for 2025, no event in 2024
    printed = err.getvalue().splitlines()
    assert len(printed) == len(data.warnings)
    assert any("2025" in line for line in printed)
