"""The rule rows every installation starts with, and the idempotent ``seed_rules()``.

Every number and wording comes from /work/shared/law/legal-notes.md (§1, §2, §3). A row is
``confirmed=True`` only when the notes mark its value [READ]; [SECONDARY] and [UNCONFIRMED]
values are shipped as rows with ``confirmed=False`` and a note saying what is missing, so an
administrator sees and corrects them (and the screening reports a fail resting on them as
"needs review"). Where the notes give an order but no number (priority points, appraisal
points), the points are the system's convention, marked unconfirmed.

``seed_rules()`` creates each shipped row that is missing, found by its ``seed_key``; it never
changes a row that exists (an administrator may have corrected it), never deletes and never
recreates an archived row. The data migration calls it with the migration's registry; browser
tests call it again after a flush.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

D = datetime.date
ND45_IN_FORCE = D(2012, 7, 5)
ND235_IN_FORCE = D(2025, 10, 15)  # secondary source (catalog LegalBasis nd235_2025)
ND45_RULES_END = D(2025, 10, 14)
# TT 28/2018/TT-BTC (signed 28/3/2018) replaced TTLT 26/2014; its date of effect is not in the
# notes. 12/5/2018 (45 days after signing, the usual delay) is an ESTIMATE: rows carry a note.
TT28_FROM = D(2018, 5, 12)
TTLT26_UNTIL = TT28_FROM - datetime.timedelta(days=1)
TT28_DATE_NOTE = (
    "Ngày áp dụng 12/5/2018 là ước tính (45 ngày sau ngày ký 28/3/2018), chưa đối chiếu ngày "
    "hiệu lực của Thông tư 28/2018/TT-BTC."
)
LOCAL_NOTE = (
    "Mức hỗ trợ khuyến công địa phương do UBND tỉnh (gần đây là Nghị quyết HĐND tỉnh) quy định "
    "trong khung của Bộ Tài chính (TTLT 26/2014 Điều 6 khoản 3). Dòng này áp dụng mức khuyến "
    "công quốc gia làm mức tối đa cho đến khi tỉnh nhập mức riêng (dòng có tỉnh)."
)
M = 1_000_000

ND45_KINDS = ["sme", "cooperative", "cooperative_group", "household"]
ND235_KINDS = [*ND45_KINDS, "cooperative_union"]
ND45_INDUSTRIES = ["art5_a", "art5_b", "art5_c", "art5_d", "art5_dd", "art5_e", "art5_g"]
ND235_INDUSTRIES = [*ND45_INDUSTRIES, "nd235_high_tech", "nd235_green"]
# Contents an establishment registers for (groups 1–8 of Art. 4 but the activities the
# authorities run themselves: product vote, information, international cooperation and the
# whole group 9, management capacity of the programme).
ND45_CONTENTS = [
    "vocational_training",
    "capacity_building",
    "startup_support",
    "market_expansion",
    "demo_model",
    "machinery",
    "sxsh_pilot",
    "trade_fair",
    "brand",
    "showroom",
    "consulting",
    "design_packaging",
    "linkage_ccn",
    "relocation_support",
    "pollution_treatment",
]
ND235_CONTENTS = [
    *ND45_CONTENTS,
    "digital_transformation",
    "sustainable_production",
    "artisan_craft",
]

ND45_CITES = {
    "beneficiary_citation": "Điều 1 khoản 2 Nghị định 45/2012/NĐ-CP; Điều 3 Thông tư "
    "46/2012/TT-BCT",
    "location_citation": "Điều 1 khoản 2 điểm a Nghị định 45/2012/NĐ-CP; Điều 3 Thông tư "
    "46/2012/TT-BCT",
    "industry_citation": "Điều 5 Nghị định 45/2012/NĐ-CP",
    "content_citation": "Điều 4 Nghị định 45/2012/NĐ-CP",
    "cleaner_production_citation": "Điều 1 khoản 2 điểm b Nghị định 45/2012/NĐ-CP; Điều 3 "
    "Thông tư 46/2012/TT-BCT",
    "counterpart_citation": "Điều 7 Thông tư liên tịch 26/2014/TTLT-BTC-BCT (Thông tư "
    "28/2018/TT-BTC thay thế; điều kiện tương ứng chưa đối chiếu)",
}
ND235_CITES = {
    "beneficiary_citation": "Điều 1 khoản 2 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định "
    "235/2025/NĐ-CP",
    "location_citation": "Điều 1 khoản 2 điểm a Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định "
    "235/2025/NĐ-CP",
    "industry_citation": "Điều 5 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP",
    "content_citation": "Điều 4 Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP",
    "cleaner_production_citation": "Điều 1 khoản 2 điểm b Nghị định 45/2012/NĐ-CP, sửa đổi bởi "
    "Nghị định 235/2025/NĐ-CP",
    "counterpart_citation": ND45_CITES["counterpart_citation"],
}
ND235_NOTE = (
    "Theo Nghị định 235/2025/NĐ-CP: đối tượng (Điều 1 khoản 2 mới) đã đọc qua bản trích tiếng "
    "Anh; ngành nghề, nội dung bổ sung và ngày hiệu lực 15/10/2025 theo nguồn thứ cấp."
)

RULE_SETS: list[dict[str, Any]] = [
    {
        "code": "nd45_national",
        "name": "Nghị định 45/2012/NĐ-CP — khuyến công quốc gia",
        "funding_source": "national",
        "valid_from": ND45_IN_FORCE,
        "valid_to": ND45_RULES_END,
        "legal_basis": "nd45_2012",
        "confirmed": True,
        "kinds": ND45_KINDS,
        "industries": ND45_INDUSTRIES,
        "contents": ND45_CONTENTS,
        "cleaner": ["sxsh_pilot"],
        **ND45_CITES,
        "notes": "Đối tượng, địa bàn, ngành nghề, nội dung: Nghị định 45/2012 Điều 1, 4, 5 và "
        "Thông tư 46/2012 Điều 3, 4, 5 (đã đọc bản pháp điển). Danh sách nội dung mở cho cơ sở "
        "đăng ký là cách hệ thống hiểu Điều 4 (bỏ các hoạt động do cơ quan quản lý tự tổ chức).",
    },
    {
        "code": "nd45_local",
        "name": "Nghị định 45/2012/NĐ-CP — khuyến công địa phương (mặc định khi tỉnh chưa có "
        "quy định riêng)",
        "funding_source": "local",
        "valid_from": ND45_IN_FORCE,
        "valid_to": ND45_RULES_END,
        "legal_basis": "nd45_2012",
        "confirmed": False,
        "kinds": ND45_KINDS,
        "industries": ND45_INDUSTRIES,
        "contents": ND45_CONTENTS,
        "cleaner": ["sxsh_pilot"],
        **ND45_CITES,
        "notes": "UBND tỉnh ban hành quy định riêng cho khuyến công địa phương (Thông tư 46/2012 "
        "Điều 8 khoản 3 điểm b; Nghị định 45/2012 Điều 16). Bộ quy tắc này dùng khung của Nghị "
        "định 45/2012 cho đến khi tỉnh nhập bộ quy tắc riêng (có tỉnh).",
    },
    {
        "code": "nd235_national",
        "name": "Nghị định 45/2012/NĐ-CP sửa đổi bởi Nghị định 235/2025/NĐ-CP — khuyến công "
        "quốc gia",
        "funding_source": "national",
        "valid_from": ND235_IN_FORCE,
        "legal_basis": "nd235_2025",
        "confirmed": False,
        "kinds": ND235_KINDS,
        "industries": ND235_INDUSTRIES,
        "contents": ND235_CONTENTS,
        "cleaner": ["sxsh_pilot", "sustainable_production"],
        **ND235_CITES,
        "notes": ND235_NOTE,
    },
    {
        "code": "nd235_local",
        "name": "Nghị định 45/2012/NĐ-CP sửa đổi bởi Nghị định 235/2025/NĐ-CP — khuyến công địa "
        "phương (mặc định khi tỉnh chưa có quy định riêng)",
        "funding_source": "local",
        "valid_from": ND235_IN_FORCE,
        "legal_basis": "nd235_2025",
        "confirmed": False,
        "kinds": ND235_KINDS,
        "industries": ND235_INDUSTRIES,
        "contents": ND235_CONTENTS,
        "cleaner": ["sxsh_pilot", "sustainable_production"],
        **ND235_CITES,
        "notes": ND235_NOTE,
    },
]

_ND45_PLACE = "Điều 1 khoản 2 điểm a Nghị định 45/2012/NĐ-CP; Điều 3 Thông tư 46/2012/TT-BCT"
_ND235_PLACE = "Điều 1 khoản 2 điểm a Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP"
ND45_LOCATIONS = [
    ("Xã", "", "pass", "xã thuộc địa bàn được hỗ trợ.", True),
    ("Thị trấn", "", "pass", "thị trấn thuộc địa bàn được hỗ trợ.", True),
    ("Phường", "Thị xã", "pass", "phường thuộc thị xã, địa bàn được hỗ trợ.", True),
    (
        "Phường",
        "Thành phố",
        "needs_review",
        "phường thuộc thành phố: được hỗ trợ nếu thành phố là đô thị loại 2 hoặc loại 3; với "
        "đô thị loại 1, chỉ phường mới chuyển từ xã chưa quá 5 năm (tính đến 31/12 năm trước "
        "năm kế hoạch). Cần đối chiếu loại đô thị.",
        True,
    ),
    (
        "Phường",
        "Quận",
        "needs_review",
        "phường thuộc quận của thành phố trực thuộc trung ương: chỉ được hỗ trợ nếu là đô thị "
        "loại 1 và phường mới chuyển từ xã chưa quá 5 năm. Cần đối chiếu.",
        True,
    ),
]
ND235_LOCATIONS = [
    ("Xã", "", "pass", "xã thuộc địa bàn được hỗ trợ.", False),
    ("Đặc khu", "", "pass", "đặc khu thuộc địa bàn được hỗ trợ.", False),
    ("Phường", "Tỉnh", "pass", "phường của tỉnh thuộc địa bàn được hỗ trợ.", False),
    (
        "Phường",
        "Thành phố",
        "needs_review",
        "phường của thành phố trực thuộc trung ương: Nghị định 235/2025 chỉ nêu xã, đặc khu của "
        "thành phố trực thuộc trung ương và làng nghề được UBND tỉnh công nhận. Cần đối chiếu.",
        False,
    ),
]

_TT46_ART4 = ("tt46_2012", "Điều 4")
# (condition, content area, industry, outcome national, outcome local, parameter, basis, confirmed)
CONDITIONS: list[tuple] = [
    ("machinery_new", "machinery", None, "fail", "fail", None, _TT46_ART4, True),
    (
        "technology_new_in_district",
        "demo_model",
        None,
        "fail",
        "needs_review",  # for KCĐP the province sets the rule (TT 46/2012 Art. 4)
        None,
        _TT46_ART4,
        True,
    ),
    ("fairs_abroad_limit", "trade_fair", None, "fail", "fail", 2, _TT46_ART4, True),
    ("pollution_assessment", "relocation_support", None, "fail", "fail", None, _TT46_ART4, True),
    ("difficult_area", None, "art5_e", "fail", "fail", None, ("nd45_2012", "Điều 5 điểm e"), True),
    (
        "difficult_area",
        "startup_support",
        None,
        "fail",
        "fail",
        None,
        ("ttlt26_2014", "Điều 6 khoản 2"),
        False,
    ),
]


def _level(
    key: str,
    area: str,
    source: str,
    percent: int | None,
    cap: int | None,
    unit: str,
    basis: str,
    article: str,
    confirmed: bool,
    notes: str = "",
    **dates: Any,
) -> dict[str, Any]:
    return {
        "seed_key": key,
        "content_area": area,
        "funding_source": source,
        "percent": percent,
        "cap": cap,
        "unit": unit,
        "legal_basis": basis,
        "article": article,
        "confirmed": confirmed,
        "notes": notes,
        **dates,
    }


TTLT_NOTE = "Thông tư liên tịch 26/2014 Điều 6 khoản 2 (đã đọc bản pháp điển)."
CARRIED_NOTE = (
    "Giá trị của Thông tư liên tịch 26/2014, chưa xác nhận Thông tư 28/2018 giữ nguyên. "
    + TT28_DATE_NOTE
)
# (content area, percent, cap, unit)
TTLT26_LEVELS = [
    ("startup_support", None, 10 * M, "enterprise"),
    ("demo_model", 30, 500 * M, "model"),
    ("machinery", 50, 200 * M, "establishment"),
    ("brand", 50, 35 * M, "brand"),
    ("consulting", 50, 35 * M, "establishment"),
    ("design_packaging", 50, 35 * M, "establishment"),
    ("pollution_treatment", 30, 300 * M, "establishment"),
]
# (content area, percent, cap, unit, confirmed, article, note)
TT28_LEVELS = [
    (
        "startup_support",
        None,
        10 * M,
        "enterprise",
        True,
        "Điều 8",
        "Theo bản tóm tắt Thông tư 28/2018 (luatvietnam). " + TT28_DATE_NOTE,
    ),
    (
        "demo_model",
        30,
        1000 * M,
        "model",
        True,
        "Điều 8",
        "Theo bản tóm tắt Thông tư 28/2018 (luatvietnam). " + TT28_DATE_NOTE,
    ),
    (
        "machinery",
        50,
        300 * M,
        "establishment",
        False,
        "Điều 8 khoản 4",
        "Nguồn thứ cấp: hỏi đáp của Trung tâm Khuyến công Bình Thuận dẫn Điều 8 khoản 4 Thông tư "
        "28/2018. " + TT28_DATE_NOTE,
    ),
    ("brand", 50, 35 * M, "brand", False, "Điều 8", CARRIED_NOTE),
    ("consulting", 50, 35 * M, "establishment", False, "Điều 8", CARRIED_NOTE),
    ("design_packaging", 50, 35 * M, "establishment", False, "Điều 8", CARRIED_NOTE),
    ("pollution_treatment", 30, 300 * M, "establishment", False, "Điều 8", CARRIED_NOTE),
]


def _support_levels() -> list[dict[str, Any]]:
    rows = []
    for source in ("national", "local"):
        local = source == "local"
        for area, percent, cap, unit in TTLT26_LEVELS:
            rows.append(
                _level(
                    f"ttlt26_2014:{source}:{area}",
                    area,
                    source,
                    percent,
                    cap,
                    unit,
                    "ttlt26_2014",
                    "Điều 6 khoản 2",
                    not local,
                    LOCAL_NOTE if local else TTLT_NOTE,
                    valid_to=TTLT26_UNTIL,
                )
            )
        for area, percent, cap, unit, confirmed, article, note in TT28_LEVELS:
            rows.append(
                _level(
                    f"tt28_2018:{source}:{area}",
                    area,
                    source,
                    percent,
                    cap,
                    unit,
                    "tt28_2018",
                    article,
                    confirmed and not local,
                    f"{LOCAL_NOTE} {note}" if local else note,
                    valid_from=TT28_FROM,
                )
            )
    return rows


def _uplifts() -> list[dict[str, Any]]:
    rows = []
    for source in ("national", "local"):
        local = source == "local"
        rows += [
            {
                "seed_key": f"ttlt26_2014:{source}:priority",
                "condition": "priority",
                "multiplier": Decimal("1.5"),
                "funding_source": source,
                "legal_basis": "ttlt26_2014",
                "article": "Điều 6 khoản 2 điểm t",
                "valid_to": TTLT26_UNTIL,
                "confirmed": not local,
                "notes": LOCAL_NOTE if local else TTLT_NOTE,
            },
            {
                "seed_key": f"tt28_2018:{source}:priority",
                "condition": "priority",
                "multiplier": Decimal("1.5"),
                "funding_source": source,
                "legal_basis": "tt28_2018",
                "article": "Điều 8",
                "valid_from": TT28_FROM,
                "confirmed": False,
                "notes": "Mức tối đa 1,5 lần cho đề án thuộc diện ưu tiên: được cho là giữ "
                "nguyên từ Thông tư liên tịch 26/2014, chưa xác nhận. " + TT28_DATE_NOTE,
            },
            {
                "seed_key": f"tt28_2018:{source}:production_line",
                "condition": "production_line",
                "multiplier": Decimal("1.5"),
                "funding_source": source,
                "content_area": "machinery",
                "legal_basis": "tt28_2018",
                "article": "Điều 8 khoản 4",
                "valid_from": TT28_FROM,
                "confirmed": False,
                "notes": "Dây chuyền sản xuất: tối đa 1,5 lần mức hỗ trợ máy móc thiết bị (nguồn "
                "thứ cấp: hỏi đáp Trung tâm Khuyến công Bình Thuận). " + TT28_DATE_NOTE,
            },
        ]
    return rows


EXCLUDED_PRODUCTS: list[dict[str, Any]] = [
    {
        "seed_key": "tt46_2012:fired_clay_brick_kilns",
        "code": "fired_clay_brick_kilns",
        "name": "Sản xuất gạch đất sét nung bằng lò thủ công, thủ công cải tiến, lò vòng",
        "match_terms": "\n".join(
            [
                "gạch nung lò vòng",
                "gạch nung bằng lò vòng",
                "gạch đất sét nung lò vòng",
                "gạch nung lò thủ công cải tiến",
                "gạch nung bằng lò thủ công cải tiến",
                "lò vòng",
                "lò thủ công cải tiến",
            ]
        ),
        "outcome": "fail",
        "legal_basis": "tt46_2012",
        "article": "Điều 5",
        "confirmed": True,
        "notes": "Thông tư 46/2012 Điều 5: không hỗ trợ sản xuất gạch đất sét nung bằng lò thủ "
        "công cải tiến, lò vòng; ưu tiên vật liệu không nung.",
    },
    {
        "seed_key": "tt46_2012:fired_clay_brick",
        "code": "fired_clay_brick",
        "name": "Gạch đất sét nung (cần xác định loại lò nung)",
        "match_terms": "\n".join(
            ["gạch nung", "gạch đất nung", "gạch đất sét nung", "gạch đất sét"]
        ),
        "outcome": "needs_review",
        "legal_basis": "tt46_2012",
        "article": "Điều 5",
        "confirmed": True,
        "notes": "Gạch đất sét nung không bị loại trừ khi nung bằng công nghệ khác (ví dụ lò "
        "tuynel): cần xác định loại lò.",
    },
]

PRIORITY_NOTE = (
    "Văn bản chỉ quy định thứ tự ưu tiên (địa bàn a → d trước, rồi ngành nghề); số điểm là "
    "quy ước của hệ thống để thể hiện thứ tự đó."
)
# (code, group, name, points, threshold, article)
PRIORITY_CRITERIA: list[tuple] = [
    (
        "area_upland_border_ethnic",
        "area",
        "Địa bàn (a): huyện miền núi, hải đảo, biên giới, vùng dân tộc thiểu số",
        40,
        None,
    ),
    ("area_poor_district", "area", "Địa bàn (b): huyện nghèo theo Nghị quyết 30a/2008", 30, None),
    (
        "area_new_rural",
        "area",
        "Địa bàn (c): xã xây dựng nông thôn mới theo kế hoạch của tỉnh",
        20,
        None,
    ),
    (
        "area_difficult",
        "area",
        "Địa bàn (d): vùng có điều kiện kinh tế - xã hội khó khăn (Nghị định 108/2006)",
        10,
        None,
    ),
    ("export_contract", "industry", "Sản phẩm xuất khẩu (có hợp đồng xuất khẩu)", 2, None),
    ("local_raw_materials", "industry", "Sử dụng nguyên liệu tại chỗ trên 50% giá trị", 2, 50),
    ("labour_intensive", "industry", "Sử dụng nhiều lao động (từ 50 người)", 2, 50),
    ("supporting_industry", "industry", "Sản phẩm công nghiệp hỗ trợ (QĐ 1483/2011)", 2, None),
    ("certified_product", "industry", "Sản phẩm công nghiệp nông thôn tiêu biểu", 1, None),
]

APPRAISAL_NOTE = (
    "Tiêu chí theo Điều 9 Thông tư 36/2013/TT-BCT (đã đọc); thang điểm là quy ước của hệ "
    "thống — Mẫu 4a/4b chưa được đối chiếu."
)
# (code, name, max points)
APPRAISAL_CRITERIA: list[tuple] = [
    ("fit", "Sự phù hợp với nguyên tắc, nội dung, đối tượng, ngành nghề được hỗ trợ", 20),
    ("need_efficiency", "Mục tiêu, sự cần thiết và hiệu quả của đề án", 25),
    ("cost", "Tính hợp lý của dự toán kinh phí", 20),
    ("capacity", "Năng lực của đơn vị thực hiện, đơn vị phối hợp và đơn vị thụ hưởng", 15),
    ("integration", "Khả năng lồng ghép với các chương trình, dự án khác", 10),
    ("dossier", "Tính đầy đủ, hợp lệ của hồ sơ", 10),
]


# --------------------------------------------------------------------------- seeding


def seed_rules(apps: Any = None) -> list[str]:
    """Create every missing shipped rule row; returns the seed keys created."""
    registry = apps or global_apps
    created: list[str] = []

    def model(name: str) -> Any:
        return registry.get_model("registrations", name)

    def catalog(name: str) -> dict[str, Any]:
        return {row.code: row for row in registry.get_model("catalog", name).objects.all()}

    with transaction.atomic():
        sources = catalog("FundingSource")
        bases = catalog("LegalBasis")
        areas = catalog("ContentArea")
        industries = catalog("Industry")
        kinds = catalog("BeneficiaryKind")
        if not sources or not bases:
            return created  # catalogs not seeded: nothing to attach the rules to
        rule_set_model = model("EligibilityRuleSet")
        existing = set(rule_set_model.objects.values_list("seed_key", flat=True))
        rule_sets = {row.seed_key: row for row in rule_set_model.objects.exclude(seed_key="")}
        for spec in RULE_SETS:
            key = f"ruleset:{spec['code']}"
            if key in existing or rule_set_model.objects.filter(code=spec["code"]).exists():
                continue
            row = rule_set_model.objects.create(
                seed_key=key,
                code=spec["code"],
                name=spec["name"],
                funding_source=sources[spec["funding_source"]],
                valid_from=spec.get("valid_from"),
                valid_to=spec.get("valid_to"),
                legal_basis=bases.get(spec["legal_basis"]),
                confirmed=spec["confirmed"],
                notes=spec["notes"],
                **{name: spec[name] for name in ND45_CITES},
            )
            row.beneficiary_kinds.set([kinds[c] for c in spec["kinds"] if c in kinds])
            row.industries.set([industries[c] for c in spec["industries"] if c in industries])
            row.content_areas.set([areas[c] for c in spec["contents"] if c in areas])
            row.cleaner_production_areas.set([areas[c] for c in spec["cleaner"] if c in areas])
            rule_sets[key] = row
            created.append(key)
        _seed_locations(model("LocationRule"), rule_sets, created)
        _seed_conditions(model("RuleCondition"), rule_sets, areas, industries, bases, created)
        _seed_rows(
            model("SupportLevelRule"),
            [
                {
                    **row,
                    "content_area": areas.get(row["content_area"]),
                    "funding_source": sources[row["funding_source"]],
                }
                for row in _support_levels()
            ],
            bases,
            created,
        )
        _seed_rows(
            model("SupportUpliftRule"),
            [
                {
                    **row,
                    "content_area": areas.get(row["content_area"])
                    if "content_area" in row
                    else None,
                    "funding_source": sources[row["funding_source"]],
                }
                for row in _uplifts()
            ],
            bases,
            created,
        )
        _seed_rows(model("ExcludedProduct"), EXCLUDED_PRODUCTS, bases, created)
        _seed_rows(
            model("PriorityCriterion"),
            [
                {
                    "seed_key": f"priority:{code}",
                    "code": code,
                    "group": group,
                    "name": name,
                    "points": points,
                    "threshold": threshold,
                    "sort_order": order,
                    "legal_basis": "nd45_2012",
                    "article": "Điều 6; Thông tư 46/2012/TT-BCT Điều 6",
                    "confirmed": False,
                    "notes": PRIORITY_NOTE,
                }
                for order, (code, group, name, points, threshold) in enumerate(
                    PRIORITY_CRITERIA, start=1
                )
            ],
            bases,
            created,
        )
        _seed_rows(
            model("AppraisalCriterion"),
            [
                {
                    "seed_key": f"appraisal:{code}",
                    "code": code,
                    "name": name,
                    "max_points": points,
                    "sort_order": order,
                    "legal_basis": "tt36_2013",
                    "article": "Điều 9",
                    "confirmed": False,
                    "notes": APPRAISAL_NOTE,
                }
                for order, (code, name, points) in enumerate(APPRAISAL_CRITERIA, start=1)
            ],
            bases,
            created,
        )
    return created


def _seed_locations(model: Any, rule_sets: dict[str, Any], created: list[str]) -> None:
    existing = set(model.objects.values_list("seed_key", flat=True))
    for spec in RULE_SETS:
        rule_set = rule_sets.get(f"ruleset:{spec['code']}")
        if rule_set is None:
            continue
        nd235 = spec["code"].startswith("nd235")
        rows = ND235_LOCATIONS if nd235 else ND45_LOCATIONS
        for unit_type, parent, outcome, explanation, confirmed in rows:
            key = f"location:{spec['code']}:{unit_type}:{parent}"
            if key in existing:
                continue
            model.objects.create(
                seed_key=key,
                rule_set=rule_set,
                unit_type=unit_type,
                parent_unit_type=parent,
                outcome=outcome,
                explanation=explanation,
                article=_ND235_PLACE if nd235 else _ND45_PLACE,
                confirmed=confirmed and not nd235,
            )
            created.append(key)


def _seed_conditions(
    model: Any,
    rule_sets: dict[str, Any],
    areas: dict[str, Any],
    industries: dict[str, Any],
    bases: dict[str, Any],
    created: list[str],
) -> None:
    existing = set(model.objects.values_list("seed_key", flat=True))
    for spec in RULE_SETS:
        rule_set = rule_sets.get(f"ruleset:{spec['code']}")
        if rule_set is None:
            continue
        local = spec["funding_source"] == "local"
        for condition, area, industry, national, local_outcome, parameter, basis, ok in CONDITIONS:
            key = f"condition:{spec['code']}:{condition}:{area or industry}"
            if (
                key in existing
                or (area and area not in areas)
                or (industry and industry not in industries)
            ):
                continue
            model.objects.create(
                seed_key=key,
                rule_set=rule_set,
                condition=condition,
                content_area=areas.get(area) if area else None,
                industry=industries.get(industry) if industry else None,
                parameter=parameter,
                outcome_if_unmet=local_outcome if local else national,
                legal_basis=bases.get(basis[0]),
                article=basis[1],
                confirmed=ok and not spec["code"].startswith("nd235"),
                notes=spec["notes"] if spec["code"].startswith("nd235") else "",
            )
            created.append(key)


def _seed_rows(
    model: Any, rows: list[dict[str, Any]], bases: dict[str, Any], created: list[str]
) -> None:
    existing = set(model.objects.values_list("seed_key", flat=True))
    names = {f.name for f in model._meta.get_fields()}
    for row in rows:
        key = row["seed_key"]
        if key in existing:
            continue
        values = {name: value for name, value in row.items() if name in names}
        if model.__name__ == "SupportLevelRule" and values.get("content_area") is None:
            continue  # the content area is not in the catalog
        values["legal_basis"] = bases.get(row.get("legal_basis"))
        if "code" in values and model.objects.filter(code=values["code"]).exists():
            continue
        model.objects.create(**values)
        created.append(key)
