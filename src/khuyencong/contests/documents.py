"""Documents of the product vote, through the reports engine (one export path):

- the certificate of each recognised product: HTML (templates/contests/certificate.html) to
  PDF with ``documents.pdf.html_to_pdf`` (WeasyPrint, the vendored Liberation Serif fonts);
- the decision recognising the products, laid out per Decree 30/2020/NĐ-CP with its annex
  listing the products: DOCX with ``documents.docx.render_docx_context`` over
  templates/contests/decision.docx (built by ``documents.docx_template.build_template`` with an
  annex table; rebuild with ``write_decision_template``), and the same list as XLSX with
  ``documents.xlsx.write_table`` (the one XLSX table style).

The wording is Vietnamese document text (not gettext), with ``documents.wording`` for dates and
lists. The layout of the certificate form (TT 26/2014 Appendix 6) was not read: the design
below carries the elements the circular names (level, product, holder, number, decision,
validity) and is marked so in the template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from docx.shared import Mm

from khuyencong.contests.models import Certificate, Contest, Entry
from khuyencong.core.text import normalize
from khuyencong.documents import wording
from khuyencong.documents.docx import (
    BODY,
    MOTTO,
    NATION,
    RECIPIENTS_HEADING,
    Paragraph,
    render_docx_context,
)
from khuyencong.documents.docx_template import build_template
from khuyencong.documents.pdf import html_to_pdf
from khuyencong.documents.xlsx import XlsxTable, new_workbook, save_workbook, write_table

DECISION_TEMPLATE = Path(__file__).resolve().parent / "templates" / "contests" / "decision.docx"
ANNEX_COLUMNS: list[tuple[str, Any]] = [
    ("STT", Mm(10)),
    ("Tên sản phẩm", Mm(32)),
    ("Nhóm sản phẩm", Mm(25)),
    ("Cơ sở sản xuất", Mm(27)),
    ("Địa chỉ", Mm(29)),
    ("Điểm bình quân", Mm(16)),
    ("Số giấy chứng nhận", Mm(26)),
]
CENTER = "center"


def build_decision_template():
    return build_template(annex_columns=ANNEX_COLUMNS)


def write_decision_template(path: Path = DECISION_TEMPLATE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    build_decision_template().save(str(path))
    return path


# --------------------------------------------------------------------------------------------
# Shared wording


def area_phrase(contest: Contest) -> str:
    """ "tỉnh Bắc Kạn", "huyện Na Rì", "khu vực phía Bắc", "" (national)."""
    if contest.area_id:
        return wording.lower_first(contest.area.name)
    if contest.region:
        return {
            "north": "khu vực phía Bắc",
            "central": "khu vực miền Trung - Tây Nguyên",
            "south": "khu vực phía Nam",
        }[contest.region]
    return ""


def place_name(contest: Contest) -> str:
    """The place on the place-and-date line: the area's short name, else "Hà Nội"."""
    if contest.area_id:
        return contest.area.province.short_name if contest.area.province_id else ""
    return "Hà Nội"


# The head of an authority, who decides in its name (Decree 30: "CHỦ TỊCH ỦY BAN NHÂN DÂN
# TỈNH …" even when a vice-chair signs "KT. CHỦ TỊCH").
AUTHORITY_HEADS = (  # accent-free prefix of the authority's name -> its head
    ("uy ban nhan dan", "CHỦ TỊCH"),
    ("bo ", "BỘ TRƯỞNG"),
    ("cuc ", "CỤC TRƯỞNG"),
)


def authority_head(authority: str) -> str:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC KẠN" for "Ủy ban nhân dân tỉnh Bắc Kạn"."""
    plain = normalize(authority)
    for prefix, head in AUTHORITY_HEADS:
        if plain.startswith(prefix):
            return f"{head} {authority.upper()}"
    return authority.upper()


def level_title(contest: Contest) -> str:
    """ "cấp tỉnh năm 2018"."""
    return f"{contest.level_words} năm {contest.year}"


def beneficiary_address(entry_or_certificate: Entry | Certificate) -> str:
    beneficiary = entry_or_certificate.beneficiary
    commune = beneficiary.commune
    units = [(commune.unit_type, commune.short_name)]
    unit = commune.parent
    while unit is not None:
        units.append((unit.unit_type, unit.short_name))
        unit = unit.parent
    place = wording.place_label(units)
    if beneficiary.address:
        return f"{beneficiary.address}, {place}"
    return wording.capitalize_first(place)


def decimal_vi(value: Any) -> str:
    return wording.decimal_vi(value, places=2) if value is not None else ""


# --------------------------------------------------------------------------------------------
# Certificates


def certificate_context(certificate: Certificate) -> dict[str, Any]:
    contest = certificate.contest
    return {
        "nation": NATION,
        "motto": MOTTO,
        "authority": contest.authority_name.upper(),
        "heading": "GIẤY CHỨNG NHẬN",
        "subheading": (
            f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {certificate.level_words.upper()}"
        ),
        "product": certificate.product_name,
        "group": certificate.entry.product_group.name,
        "holder": certificate.beneficiary.name,
        "address": beneficiary_address(certificate),
        "contest": contest.name,
        "decision": (
            f"Quyết định số {contest.decision_number} "
            f"{wording.date_long(contest.decision_date)} của {contest.authority_name}"
            if contest.decision_number and contest.decision_date
            else ""
        ),
        "number": certificate.number,
        "validity": (
            f"Giấy chứng nhận có giá trị đến {wording.date_long(certificate.valid_until)}."
        ),
        "place_date": wording.document_date(place_name(contest), certificate.issued_on),
        "signer": {
            "capacity": contest.signer_capacity,
            "position": contest.signer_position,
            "name": contest.signer_name,
        },
        "revoked": certificate.revoked_on is not None,
    }


def certificate_html(certificate: Certificate) -> str:
    return render_to_string("contests/certificate.html", {"doc": certificate_context(certificate)})


def certificate_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf(certificate_html(certificate))


def certificate_file_stem(certificate: Certificate) -> str:
    return f"giay-chung-nhan-{certificate.number}"


# --------------------------------------------------------------------------------------------
# The decision recognising the products


def recognised_entries(contest: Contest) -> QuerySet[Entry]:
    return (
        contest.entries.eligible()
        .filter(recognised=True)
        .select_related(
            "product_group",
            "beneficiary__commune__parent__parent",
            "certificate",
        )
        .order_by("product_group__sort_order", "rank_in_group", "product_name", "pk")
    )


def annex_rows(contest: Contest) -> list[list[Any]]:
    rows = []
    for number, entry in enumerate(recognised_entries(contest), start=1):
        certificate = getattr(entry, "certificate", None)
        rows.append(
            [
                number,
                entry.product_name,
                entry.product_group.name,
                entry.beneficiary.name,
                beneficiary_address(entry),
                entry.average_score,
                certificate.number if certificate else "",
            ]
        )
    return rows


def decision_number_symbol(contest: Contest) -> str:
    return contest.decision_number or "\u00a0" * 6 + "/QĐ-UBND"


def decision_context(contest: Contest) -> dict[str, Any]:
    """The decision in the shape of ``reports.render.document_context`` plus its annex."""
    rows = annex_rows(contest)
    count = len(rows)
    area = area_phrase(contest)
    scope = f" {area}" if area else ""
    title = f"Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu {level_title(contest)}"
    authority = contest.authority_name
    decision_ref = (
        f"Quyết định số {decision_number_symbol(contest)} "
        f"{wording.date_long(contest.decision_date)}"
        if contest.decision_date
        else f"Quyết định số {decision_number_symbol(contest)}"
    )
    paragraphs = [
        Paragraph(authority_head(authority), CENTER),
        Paragraph(
            "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về "
            "khuyến công;",
            BODY,
        ),
        Paragraph(
            "Căn cứ Thông tư số 26/2014/TT-BCT ngày 28 tháng 8 năm 2014 của Bộ trưởng Bộ Công "
            "Thương quy định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu "
            "và các văn bản sửa đổi, bổ sung;",
            BODY,
        ),
        Paragraph(
            f"Xét kết quả bình chọn của Hội đồng bình chọn sản phẩm công nghiệp nông thôn tiêu "
            f"biểu {level_title(contest)}{scope}"
            + (
                f" công bố {wording.date_long(contest.results_announced_on)}"
                if contest.results_announced_on
                else ""
            )
            + " và đề nghị của Giám đốc Sở Công Thương,",
            BODY,
        ),
        Paragraph("QUYẾT ĐỊNH:", CENTER),
        Paragraph(
            f"Điều 1. Công nhận {wording.count_phrase(count, 'sản phẩm')} công nghiệp nông thôn "
            f"tiêu biểu {level_title(contest)}{scope} (có danh sách kèm theo), đạt điểm bình "
            f"quân từ {decimal_vi(contest.threshold)} điểm trở lên.",
            BODY,
        ),
        Paragraph(
            "Điều 2. Các sản phẩm nêu tại Điều 1 được cấp Giấy chứng nhận sản phẩm công nghiệp "
            "nông thôn tiêu biểu; giấy chứng nhận có giá trị đến ngày 31 tháng 12 của năm thứ "
            "ba, kể từ năm được cấp. Cơ sở có sản phẩm được công nhận được hưởng các quyền lợi "
            "và có trách nhiệm theo quy định tại Thông tư số 26/2014/TT-BCT.",
            BODY,
        ),
        Paragraph(
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Giám đốc Sở "
            "Công Thương, Thủ trưởng các cơ quan, đơn vị có liên quan và các cơ sở có sản phẩm "
            "tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
            BODY,
        ),
    ]
    annex = {
        "title": f"DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU "
        f"{level_title(contest).upper()}",
        "subtitle": f"(Kèm theo {decision_ref} của {authority})",
        "rows": [[str(row[0]), *row[1:5], decimal_vi(row[5]), row[6]] for row in rows],
    }
    return {
        "authority_parent": "",
        "authority_name": authority.upper(),
        "authority_name_in_text": authority,
        "nation": NATION,
        "motto": MOTTO,
        "number_line": f"Số: {decision_number_symbol(contest)}",
        "place_date": wording.document_date(
            place_name(contest), contest.decision_date or contest.judging_on
        ),
        "document_type": "QUYẾT ĐỊNH",
        "title": title,
        "full_title": f"Quyết định {wording.lower_first(title)}",
        "paragraphs": paragraphs,
        "recipients_heading": RECIPIENTS_HEADING,
        "recipients": wording.recipient_lines(
            ("Như Điều 3", "Bộ Công Thương (b/c)", "Cục Công Thương địa phương", "Lưu: VT")
        ),
        "signer": {
            "capacity": contest.signer_capacity,
            "position": contest.signer_position,
            "name": contest.signer_name,
        },
        "annex": annex,
    }


def decision_docx(contest: Contest) -> bytes:
    context = decision_context(contest)
    return render_docx_context(
        context,
        template=DECISION_TEMPLATE,
        title=context["full_title"],
        author=contest.authority_name,
        subject=contest.name,
    )


XLSX_COLUMNS = [name for name, _width in ANNEX_COLUMNS]


def decision_xlsx(contest: Contest) -> bytes:
    context = decision_context(contest)
    workbook = new_workbook()
    write_table(
        workbook.active,
        XlsxTable(
            sheet_title="Danh sách",
            title=context["annex"]["title"],
            subtitle=context["annex"]["subtitle"],
            columns=XLSX_COLUMNS,
            rows=annex_rows(contest),
            widths=[6, 36, 30, 30, 36, 12, 18],
            number_formats={6: "0.00"},
            label_column=2,
            count_column=3,
            counted_column=2,
            count_suffix=" sản phẩm",
        ),
    )
    return save_workbook(workbook, title=context["annex"]["title"], creator=contest.authority_name)


def decision_file_stem(contest: Contest) -> str:
    return f"quyet-dinh-cong-nhan-san-pham-{contest.level}-{contest.year}"
