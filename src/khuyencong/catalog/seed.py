"""The catalog rows every installation starts with, and the idempotent ``seed_catalogs()``.

Sources and how far they can be trusted are in ``law/legal-notes.md``: a row is
``confirmed=False`` when its wording or date comes from a secondary source only, and its
``notes`` say what is missing. The Vietnamese names of the Decree 45/2012 items render the
articles as summarised there; check them against the decree text before quoting them in a
document.

``seed_catalogs()`` creates missing rows by their ``code`` (``refresh=True`` also resets existing
ones to the shipped values) and never deletes (nor
un-archives) anything: running it again changes nothing. The data migration calls it with the
migration's app registry; browser tests call it after a flush.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

from khuyencong.catalog.models import catalog_search_text

D = datetime.date
ND45 = "nd45_2012"
ND235 = "nd235_2025"
ND235_IN_FORCE = D(2025, 10, 15)
ND235_NOTE = (
    "Bổ sung theo Nghị định 235/2025/NĐ-CP. Nội dung lấy từ nguồn thứ cấp (báo chí, tóm tắt), "
    "chưa đối chiếu nguyên văn điều khoản; ngày hiệu lực 15/10/2025 theo nguồn thứ cấp."
)

LEGAL_BASES: list[dict[str, Any]] = [
    {
        "code": ND45,
        "doc_type": "Nghị định",
        "number": "45/2012/NĐ-CP",
        "issued_on": D(2012, 5, 21),
        "issuer": "Chính phủ",
        "title": "Về khuyến công",
        "valid_from": D(2012, 7, 5),
        "confirmed": True,
        "notes": "Thay thế Nghị định 134/2004/NĐ-CP (Điều 18).",
    },
    {
        "code": "tt46_2012",
        "doc_type": "Thông tư",
        "number": "46/2012/TT-BCT",
        "issued_on": D(2012, 12, 28),
        "issuer": "Bộ Công Thương",
        "title": "Quy định chi tiết một số nội dung của Nghị định số 45/2012/NĐ-CP "
        "ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công",
        "valid_from": D(2013, 2, 15),
        "confirmed": False,
        "notes": "Nội dung đã đọc từ bản pháp điển; ngày ban hành và ngày hiệu lực chưa đối chiếu "
        "với văn bản gốc.",
    },
    {
        "code": "tt36_2013",
        "doc_type": "Thông tư",
        "number": "36/2013/TT-BCT",
        "issued_on": D(2013, 12, 27),
        "issuer": "Bộ Công Thương",
        "title": "Quy định về việc xây dựng kế hoạch, tổ chức thực hiện và quản lý kinh phí "
        "khuyến công quốc gia",
        "valid_from": D(2014, 2, 10),
        "confirmed": True,
        "notes": "Được sửa đổi bởi Thông tư 20/2017/TT-BCT (nội dung sửa đổi chưa xác minh).",
    },
    {
        "code": "ttlt26_2014",
        "doc_type": "Thông tư liên tịch",
        "number": "26/2014/TTLT-BTC-BCT",
        "issued_on": D(2014, 2, 18),
        "issuer": "Bộ Tài chính - Bộ Công Thương",
        "title": "Hướng dẫn trình tự lập, quản lý, sử dụng kinh phí khuyến công",
        "confirmed": False,
        "notes": "Nội dung đã đọc từ bản pháp điển; ngày ban hành và trích yếu chưa đối chiếu với "
        "văn bản gốc. Được thay thế bởi Thông tư 28/2018/TT-BTC.",
    },
    {
        "code": "tt26_2014",
        "doc_type": "Thông tư",
        "number": "26/2014/TT-BCT",
        "issued_on": D(2014, 8, 28),
        "issuer": "Bộ Công Thương",
        "title": "Quy định về việc tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "valid_from": D(2014, 10, 21),
        "confirmed": True,
        "notes": "Thay thế Thông tư 35/2010/TT-BCT. Được sửa đổi bởi Thông tư 14/2018/TT-BCT và "
        "Thông tư 38/2025/TT-BCT.",
    },
    {
        "code": "tt28_2018",
        "doc_type": "Thông tư",
        "number": "28/2018/TT-BTC",
        "issued_on": D(2018, 3, 28),
        "issuer": "Bộ Tài chính",
        "title": "Hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        "confirmed": True,
        "notes": "Thay thế Thông tư liên tịch 26/2014/TTLT-BTC-BCT. Ngày hiệu lực chưa ghi nhận.",
    },
    {
        "code": "tt14_2018",
        "doc_type": "Thông tư",
        "number": "14/2018/TT-BCT",
        "issued_on": D(2018, 6, 28),
        "issuer": "Bộ Công Thương",
        "title": "Sửa đổi, bổ sung một số điều của Thông tư số 26/2014/TT-BCT quy định về việc "
        "tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "valid_from": D(2018, 8, 16),
        "confirmed": False,
        "notes": "Số, ngày và ngày hiệu lực theo nguồn thứ cấp (văn bản hợp nhất đăng trên "
        "vietnam.vn); trích yếu chưa đối chiếu.",
    },
    {
        "code": ND235,
        "doc_type": "Nghị định",
        "number": "235/2025/NĐ-CP",
        "issued_on": D(2025, 8, 27),
        "issuer": "Chính phủ",
        "title": "Sửa đổi, bổ sung một số điều của Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 "
        "năm 2012 của Chính phủ về khuyến công",
        "valid_from": ND235_IN_FORCE,
        "confirmed": False,
        "notes": "Số, ngày ban hành và người ký đã đối chiếu; ngày hiệu lực 15/10/2025 theo nguồn "
        "thứ cấp (vietnam.vn, baodanang.vn).",
    },
    {
        "code": "tt38_2025",
        "doc_type": "Thông tư",
        "number": "38/2025/TT-BCT",
        "issued_on": D(2025, 6, 19),
        "issuer": "Bộ Công Thương",
        "title": "Sửa đổi, bổ sung quy định về bình chọn sản phẩm công nghiệp nông thôn tiêu biểu "
        "(phân cấp, phân quyền)",
        "valid_from": D(2025, 7, 1),
        "confirmed": False,
        "notes": "Theo nguồn thứ cấp (vietnam.vn); cấp bình chọn chuyển thành cấp xã / tỉnh / "
        "khu vực / quốc gia. Trích yếu chưa đối chiếu.",
    },
    {
        "code": "nd30_2020",
        "doc_type": "Nghị định",
        "number": "30/2020/NĐ-CP",
        "issued_on": D(2020, 3, 5),
        "issuer": "Chính phủ",
        "title": "Về công tác văn thư",
        "valid_from": D(2020, 3, 5),
        "confirmed": False,
        "notes": "Thể thức văn bản hành chính. Chưa có trong ghi chú pháp lý của dự án; ngày ban "
        "hành và ngày hiệu lực cần đối chiếu.",
    },
]

FUNDING_SOURCES: list[dict[str, Any]] = [
    {
        "code": "national",
        "short_name": "KCQG",
        "name": "Khuyến công quốc gia",
        "name_en": "National industrial extension fund",
        "notes": "Kinh phí khuyến công quốc gia (Nghị định 45/2012/NĐ-CP, Điều 12).",
    },
    {
        "code": "local",
        "short_name": "KCĐP",
        "name": "Khuyến công địa phương",
        "name_en": "Local industrial extension fund",
        "notes": "Kinh phí khuyến công địa phương (Nghị định 45/2012/NĐ-CP, Điều 13).",
    },
    {
        "code": "other",
        "short_name": "Khác",
        "name": "Nguồn khác",
        "name_en": "Other sources",
    },
]

BENEFICIARY_KINDS: list[dict[str, Any]] = [
    {
        "code": "sme",
        "short_name": "DNNVV",
        "name": "Doanh nghiệp nhỏ và vừa",
        "name_en": "Small or medium-sized enterprise",
    },
    {"code": "cooperative", "short_name": "HTX", "name": "Hợp tác xã", "name_en": "Cooperative"},
    {
        "code": "cooperative_group",
        "short_name": "THT",
        "name": "Tổ hợp tác",
        "name_en": "Cooperative group",
    },
    {
        "code": "household",
        "short_name": "HKD",
        "name": "Hộ kinh doanh",
        "name_en": "Household business",
        "tax_code_required": False,
    },
    {
        "code": "cooperative_union",
        "short_name": "LHHTX",
        "name": "Liên hiệp hợp tác xã",
        "name_en": "Union of cooperatives",
        "valid_from": ND235_IN_FORCE,
        "confirmed": False,
        "notes": "Đối tượng bổ sung theo Nghị định 235/2025/NĐ-CP (Điều 1 khoản 2 điểm a mới); "
        "ngày hiệu lực theo nguồn thứ cấp.",
    },
    {
        "code": "other",
        "short_name": "Khác",
        "name": "Tổ chức, cá nhân khác",
        "name_en": "Other organisation or individual",
        "tax_code_required": False,
        "notes": "Cơ sở áp dụng sản xuất sạch hơn, tổ chức, cá nhân cung cấp dịch vụ khuyến công, "
        "nghệ nhân (Nghị định 45/2012/NĐ-CP, Điều 1 khoản 2 điểm b, c).",
    },
]

_ART5 = "Điều 5"
INDUSTRIES: list[dict[str, Any]] = [
    {
        "code": "art5_a",
        "article": f"{_ART5} điểm a",
        "name": "Công nghiệp chế biến nông, lâm, thủy sản và chế biến thực phẩm",
        "name_en": "Processing of agricultural, forestry and fishery products; food processing",
    },
    {
        "code": "art5_b",
        "article": f"{_ART5} điểm b",
        "name": "Sản xuất hàng công nghiệp phục vụ tiêu dùng, xuất khẩu, hàng thay thế hàng nhập "
        "khẩu",
        "name_en": "Consumer and export goods; import substitutes",
    },
    {
        "code": "art5_c",
        "article": f"{_ART5} điểm c",
        "name": "Công nghiệp hóa chất phục vụ nông nghiệp, nông thôn; sản xuất vật liệu xây dựng",
        "name_en": "Chemicals for agriculture and rural areas; building materials",
        "notes": "Không hỗ trợ sản xuất gạch đất sét nung bằng lò thủ công cải tiến, lò vòng; ưu "
        "tiên vật liệu không nung (Thông tư 46/2012/TT-BCT, Điều 5).",
    },
    {
        "code": "art5_d",
        "article": f"{_ART5} điểm d",
        "name": "Sản xuất sản phẩm, phụ tùng; lắp ráp và sửa chữa máy móc, thiết bị, dụng cụ cơ "
        "khí, điện, điện tử - tin học; sản xuất, gia công chi tiết, bán thành phẩm và dịch vụ cho "
        "các ngành công nghiệp hỗ trợ",
        "name_en": "Parts; assembly and repair of mechanical, electrical, electronic and IT "
        "equipment; component machining and supporting industry",
    },
    {
        "code": "art5_dd",
        "article": f"{_ART5} điểm đ",
        "name": "Sản xuất hàng tiểu thủ công nghiệp",
        "name_en": "Cottage-industry goods",
    },
    {
        "code": "art5_e",
        "article": f"{_ART5} điểm e",
        "name": "Khai thác, chế biến khoáng sản tại địa bàn có điều kiện kinh tế - xã hội khó khăn "
        "và đặc biệt khó khăn",
        "name_en": "Mining and mineral processing in areas with difficult or especially difficult "
        "socio-economic conditions",
    },
    {
        "code": "art5_g",
        "article": f"{_ART5} điểm g",
        "name": "Áp dụng sản xuất sạch hơn tại các cơ sở sản xuất công nghiệp; xử lý ô nhiễm môi "
        "trường tại các cụm công nghiệp, cơ sở sản xuất công nghiệp nông thôn",
        "name_en": "Cleaner production at industrial establishments; pollution treatment in "
        "industrial clusters and rural industrial establishments",
    },
    {
        "code": "nd235_high_tech",
        "legal_basis": ND235,
        "name": "Công nghiệp công nghệ cao",
        "name_en": "High-technology industry",
        "valid_from": ND235_IN_FORCE,
        "confirmed": False,
        "notes": ND235_NOTE,
    },
    {
        "code": "nd235_green",
        "legal_basis": ND235,
        "name": "Công nghiệp sạch, tiết kiệm năng lượng, công nghiệp môi trường và năng lượng xanh",
        "name_en": "Clean, energy-saving and environmental industries; green energy",
        "valid_from": ND235_IN_FORCE,
        "confirmed": False,
        "notes": ND235_NOTE,
    },
]


def _group(number: int, name: str, name_en: str) -> dict[str, Any]:
    return {
        "code": f"art4_{number}",
        "article": f"Điều 4 khoản {number}",
        "name": name,
        "name_en": name_en,
    }


def _item(group: int, code: str, name: str, name_en: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "parent": f"art4_{group}",
        "article": f"Điều 4 khoản {group}",
        "name": name,
        "name_en": name_en,
        **extra,
    }


def _nd235_item(group: int, code: str, name: str, name_en: str) -> dict[str, Any]:
    return _item(
        group,
        code,
        name,
        name_en,
        legal_basis=ND235,
        article="",
        valid_from=ND235_IN_FORCE,
        confirmed=False,
        notes=ND235_NOTE + " Vị trí trong Điều 4 sửa đổi chưa xác định.",
    )


# Decree 45/2012 Art. 4: nine groups and their items (legal-notes §1.4).
CONTENT_AREAS: list[dict[str, Any]] = [
    _group(1, "Đào tạo nghề, truyền nghề", "Vocational training and craft transfer"),
    _item(
        1,
        "vocational_training",
        "Đào tạo nghề, truyền nghề ngắn hạn, gắn lý thuyết với thực hành",
        "Short vocational training and craft transfer linking theory and practice",
    ),
    _group(
        2,
        "Nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn",
        "Capacity building for rural industrial establishments",
    ),
    _item(
        2,
        "capacity_building",
        "Tư vấn, tập huấn, đào tạo, hội thảo, diễn đàn, tham quan khảo sát nâng cao năng lực "
        "quản lý, nhận thức về sản xuất sạch hơn",
        "Consulting, training, workshops, forums and study tours on management and cleaner "
        "production",
    ),
    _item(
        2,
        "startup_support",
        "Hỗ trợ khởi sự, thành lập doanh nghiệp sản xuất công nghiệp nông thôn",
        "Start-up support and help founding rural industrial enterprises",
    ),
    _item(
        2,
        "market_expansion",
        "Hỗ trợ mở rộng thị trường tiêu thụ, xuất khẩu",
        "Market expansion and export support",
    ),
    _group(
        3,
        "Xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ và ứng dụng máy móc tiên tiến",
        "Technical demonstration models, technology transfer and advanced machinery",
    ),
    _item(
        3,
        "demo_model",
        "Xây dựng mô hình trình diễn kỹ thuật",
        "Technical demonstration model",
    ),
    _item(
        3,
        "machinery",
        "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ vào sản xuất",
        "Application of advanced machinery and technology transfer",
    ),
    _item(
        3,
        "sxsh_pilot",
        "Xây dựng mô hình thí điểm áp dụng sản xuất sạch hơn",
        "Cleaner-production pilot model",
    ),
    _group(
        4,
        "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu",
        "Rural industrial product development and trade promotion",
    ),
    _item(
        4,
        "product_vote",
        "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "Vote for outstanding rural industrial products",
    ),
    _item(
        4,
        "trade_fair",
        "Tổ chức, hỗ trợ tham gia hội chợ, triển lãm",
        "Organising and taking part in trade fairs and exhibitions",
    ),
    _item(
        4,
        "brand",
        "Hỗ trợ xây dựng, đăng ký nhãn hiệu",
        "Brand building and registration",
    ),
    _item(
        4,
        "showroom",
        "Hỗ trợ phòng trưng bày giới thiệu sản phẩm và các hoạt động xúc tiến thương mại khác",
        "Showrooms and other trade promotion",
    ),
    _group(5, "Tư vấn, hỗ trợ cơ sở công nghiệp nông thôn", "Consulting"),
    _item(
        5,
        "consulting",
        "Tư vấn lập dự án đầu tư, marketing, quản lý sản xuất, tài chính, kế toán, nhân lực, "
        "thành lập doanh nghiệp, liên doanh liên kết, ứng dụng công nghệ, tiếp cận chính sách",
        "Consulting on investment projects, marketing, management, founding enterprises, "
        "linkages, technology and access to policies",
    ),
    _item(
        5,
        "design_packaging",
        "Tư vấn, hỗ trợ thiết kế mẫu mã, bao bì sản phẩm",
        "Product design and packaging",
    ),
    _group(6, "Cung cấp thông tin, tuyên truyền", "Information and communication"),
    _item(
        6,
        "information",
        "Chương trình truyền hình, truyền thanh, bản tin, cơ sở dữ liệu, trang thông tin điện "
        "tử, tờ rơi về khuyến công",
        "TV and radio programmes, bulletins, databases, websites and leaflets",
    ),
    _group(
        7,
        "Hỗ trợ liên doanh, liên kết, phát triển cụm công nghiệp và di dời cơ sở gây ô nhiễm",
        "Linkages, industrial clusters and relocation",
    ),
    _item(
        7,
        "linkage_ccn",
        "Hỗ trợ thành lập hiệp hội, cụm liên kết ngành; quy hoạch chi tiết, hạ tầng và thu hút "
        "đầu tư vào cụm công nghiệp",
        "Associations and linkage clusters; industrial-cluster planning, infrastructure and "
        "investment",
    ),
    _item(
        7,
        "relocation_support",
        "Tư vấn, hỗ trợ lãi suất vốn vay di dời cơ sở gây ô nhiễm môi trường vào khu, cụm công "
        "nghiệp",
        "Consulting and interest-rate support for relocating polluting establishments",
    ),
    _item(
        7,
        "pollution_treatment",
        "Hỗ trợ hệ thống xử lý ô nhiễm môi trường tại cụm công nghiệp và cơ sở công nghiệp nông "
        "thôn",
        "Pollution-treatment systems in industrial clusters and establishments",
    ),
    _group(8, "Hợp tác quốc tế về khuyến công", "International cooperation"),
    _item(
        8,
        "international",
        "Hợp tác quốc tế, trao đổi kinh nghiệm về khuyến công",
        "International cooperation on industrial extension",
    ),
    _group(
        9,
        "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công",
        "Management capacity of the industrial extension programme",
    ),
    _item(
        9,
        "staff_training",
        "Hội nghị tập huấn, đào tạo nâng cao năng lực cán bộ làm công tác khuyến công",
        "Training conferences and courses for extension staff",
    ),
    _item(
        9,
        "study_review",
        "Tham quan, khảo sát học tập kinh nghiệm; hội nghị sơ kết, tổng kết hoạt động khuyến công",
        "Study tours and review conferences",
    ),
    _item(
        9,
        "database_website",
        "Xây dựng, duy trì và phổ biến cơ sở dữ liệu, trang thông tin điện tử về khuyến công",
        "Building and maintaining industrial extension databases and websites",
    ),
    _item(
        9,
        "facilities_network",
        "Cơ sở vật chất cho trung tâm khuyến công; mạng lưới cộng tác viên khuyến công",
        "Facilities for extension centres; network of extension collaborators",
    ),
    _item(
        9,
        "plan_building",
        "Khảo sát, xây dựng chương trình, kế hoạch khuyến công",
        "Surveys and building the programme and annual plans",
    ),
    _item(
        9,
        "programme_management",
        "Quản lý, tổ chức thực hiện chương trình, kế hoạch, đề án khuyến công",
        "Managing the programme, plans and projects",
    ),
    _item(
        9,
        "inspection",
        "Kiểm tra, giám sát, hướng dẫn thực hiện hoạt động khuyến công",
        "Inspection and supervision",
    ),
    # Decree 235/2025 additions (secondary sources only).
    _nd235_item(
        1,
        "artisan_craft",
        "Hỗ trợ nghệ nhân truyền nghề, bảo tồn và phát triển nghề truyền thống",
        "Support for artisans to pass on and preserve traditional crafts",
    ),
    _nd235_item(
        2,
        "digital_transformation",
        "Hỗ trợ chuyển đổi số",
        "Digital transformation",
    ),
    _nd235_item(
        3,
        "sustainable_production",
        "Hỗ trợ sản xuất và tiêu dùng bền vững",
        "Sustainable production and consumption",
    ),
]


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def seed_catalogs(apps: Any = None, *, refresh: bool = False) -> SeedResult:
    """Create every missing seeded catalog row by code; never delete, never un-archive.

    Rows that already exist are left as they are — an admin may have corrected a name — unless
    ``refresh`` asks to reset them to the shipped values (only rows whose values differ are
    saved, so a second run writes nothing, no history noise).
    ``apps`` is the app registry of a data migration (``None``: the current models).
    """
    registry = apps or global_apps
    result = SeedResult()
    legal_basis = registry.get_model("catalog", "LegalBasis")
    with transaction.atomic():
        _upsert_all(legal_basis, LEGAL_BASES, result, refresh)
        bases = {lb.code: lb for lb in legal_basis.objects.all()}
        _upsert_all(
            registry.get_model("catalog", "FundingSource"), FUNDING_SOURCES, result, refresh
        )
        _upsert_all(
            registry.get_model("catalog", "BeneficiaryKind"), BENEFICIARY_KINDS, result, refresh
        )
        industry = registry.get_model("catalog", "Industry")
        _upsert_all(industry, _with_basis(INDUSTRIES, bases), result, refresh)
        content_area = registry.get_model("catalog", "ContentArea")
        ordered = _content_area_order(CONTENT_AREAS)
        groups = [row for row in ordered if "parent" not in row]
        items = [row for row in ordered if "parent" in row]
        _upsert_all(content_area, _with_basis(groups, bases), result, refresh)
        parents = {area.code: area for area in content_area.objects.filter(parent__isnull=True)}
        items = [{**row, "parent": parents[row["parent"]]} for row in items]
        _upsert_all(content_area, _with_basis(items, bases), result, refresh)
    return result


def _content_area_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort order that lists each group followed by its items: group N is N*100, items N*100+k."""
    counters: dict[str, int] = {}
    ordered = []
    for row in rows:
        group = row.get("parent", row["code"])
        number = int(group.removeprefix("art4_"))
        position = counters.get(group, 0)
        counters[group] = position + 1
        ordered.append({**row, "sort_order": number * 100 + position})
    return ordered


def _with_basis(rows: Iterable[dict[str, Any]], bases: dict[str, Any]) -> list[dict[str, Any]]:
    """Resolve the ``legal_basis`` code (default: Decree 45/2012) to its row."""
    return [{**row, "legal_basis": bases[row.get("legal_basis", ND45)]} for row in rows]


# Values of optional fields a row leaves out: a re-seed resets them too.
DEFAULTS: dict[str, Any] = {
    "confirmed": True,
    "notes": "",
    "valid_from": None,
    "valid_to": None,
    "article": "",
    "parent": None,
    "short_name": "",
    "tax_code_required": True,
    "issuer": "",
}


def _upsert_all(model: Any, rows: list[dict[str, Any]], result: SeedResult, refresh: bool) -> None:
    # Only set fields the model has: a migration's historical model may predate a later field.
    names = {f.name for f in model._meta.get_fields()}
    existing = {obj.code: obj for obj in model.objects.filter(code__in=[r["code"] for r in rows])}
    for order, row in enumerate(rows, start=1):
        values = {
            key: value
            for key, value in {**DEFAULTS, **row}.items()
            if key in names and key != "code"
        }
        if "sort_order" in names:
            values.setdefault("sort_order", order * 10)
        obj = existing.get(row["code"])
        is_new = obj is None
        if not is_new and not refresh:
            continue
        if is_new:
            obj = model(code=row["code"])
        changed = [key for key, value in values.items() if is_new or getattr(obj, key) != value]
        for key in changed:
            setattr(obj, key, values[key])
        # Historical models in migrations have no custom save(): fill the search column here.
        if "search_text" in names and obj.search_text != catalog_search_text(obj):
            obj.search_text = catalog_search_text(obj)
            changed.append("search_text")
        if not changed:
            continue
        obj.save()
        label = f"{model._meta.model_name}:{row['code']}"
        (result.created if is_new else result.updated).append(label)
