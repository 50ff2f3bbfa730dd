"""Seed rows of the product vote: product groups and the dated rules (see legal-notes §4).

``seed_contest_rules()`` is idempotent and keeps administrators' edits: it creates a row only
when no row with the same natural key exists (level and start date for jury sizes, start date
for the other rules, code for product groups, name for the score sheet). A data migration calls
it with the migration's historical models (``apps``).

What is confirmed ([READ] in legal-notes: TT 26/2014/TT-BCT, original text):
jury sizes per level (district 5/7, province 7/9, region 9/11, national 11/13), the threshold
(average ≥ 70), certificate validity (to 31/12 of the 3rd year), complaint periods (15 and 10
working days), the four product groups and the four criteria groups.
What is NOT confirmed: the commune level's sizes after TT 38/2025 (assumed those of the
district level), and every point weight of the score sheet (TT 26/2014 Appendix 3 was not
read: the sheet below is a placeholder, marked unconfirmed, to be replaced).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from khuyencong.core.text import normalize

D = datetime.date
IN_FORCE = D(2014, 10, 21)  # TT 26/2014/TT-BCT in force
LEGACY_END = D(2025, 6, 30)  # district level ends (TT 38/2025 in force 1/7/2025)
TWO_LEVEL_START = D(2025, 7, 1)

PRODUCT_GROUPS = [  # code, name, English name
    ("handicrafts", "Thủ công mỹ nghệ", "Handicrafts"),
    (
        "processed_food",
        "Chế biến nông, lâm, thủy sản và thực phẩm",
        "Processed agricultural, forestry and fishery products and food",
    ),
    (
        "machinery",
        "Máy móc, thiết bị, dụng cụ và phụ tùng cơ khí",
        "Machinery, equipment, tools and mechanical parts",
    ),
    ("other", "Sản phẩm khác", "Other products"),
]

JURY_SIZES = [  # level, sizes, valid_from, valid_to, legal basis code, article, confirmed, note
    ("district", "5, 7", IN_FORCE, LEGACY_END, "tt26_2014", "Điều 8", True, ""),
    (
        "commune",
        "5, 7",
        TWO_LEVEL_START,
        None,
        "tt38_2025",
        "",
        False,
        "CHƯA XÁC NHẬN: TT 38/2025 chuyển cấp huyện thành cấp xã (nguồn thứ cấp); "
        "số thành viên giả định như cấp huyện.",
    ),
    ("province", "7, 9", IN_FORCE, None, "tt26_2014", "Điều 9", True, ""),
    ("region", "9, 11", IN_FORCE, None, "tt26_2014", "Điều 14", True, ""),
    ("national", "11, 13", IN_FORCE, None, "tt26_2014", "Điều 14", True, ""),
]

SHEET_NAME = "Phiếu chấm điểm tạm thời (trọng số CHƯA XÁC NHẬN)"
SHEET_NOTE = (
    "CHƯA XÁC NHẬN: chưa đọc được Phụ lục 3 Thông tư 26/2014/TT-BCT. Bốn nhóm tiêu chí theo "
    "Điều 7; điểm tối đa từng tiêu chí là giả định (tổng 100 điểm) để hệ thống chạy được. "
    "Thay bằng phiếu chấm chính thức (hoặc phiếu chi tiết do Trưởng ban Giám khảo đề xuất, "
    "Điều 16) trước khi dùng."
)
CRITERIA = [  # group code, group name, [(code, name, max points)]
    (
        "a",
        "Nhóm tiêu chí về thị trường và khả năng phát triển sản xuất",
        [
            ("a1", "Khả năng đáp ứng nhu cầu thị trường, tiêu thụ sản phẩm", Decimal(10)),
            ("a2", "Khả năng sản xuất hàng loạt, quy mô sản xuất", Decimal(10)),
            ("a3", "Sử dụng nguyên liệu tại chỗ", Decimal(10)),
        ],
    ),
    (
        "b",
        "Nhóm tiêu chí về kinh tế, kỹ thuật, xã hội và môi trường",
        [
            ("b1", "Hiệu quả kinh tế", Decimal(10)),
            ("b2", "Chất lượng, tính năng kỹ thuật của sản phẩm", Decimal(10)),
            ("b3", "Tạo việc làm, thu nhập cho người lao động", Decimal(8)),
            ("b4", "Thân thiện môi trường", Decimal(7)),
        ],
    ),
    (
        "c",
        "Nhóm tiêu chí về văn hóa, thẩm mỹ",
        [
            ("c1", "Thể hiện bản sắc văn hóa dân tộc, địa phương", Decimal(15)),
            ("c2", "Tính thẩm mỹ, mẫu mã, bao bì", Decimal(10)),
        ],
    ),
    (
        "d",
        "Nhóm tiêu chí khác",
        [("d1", "Nhãn hiệu, chứng nhận chất lượng, giải thưởng đã đạt được", Decimal(10))],
    ),
]


def _models(apps):
    if apps is None:
        from django.apps import apps as apps_registry

        apps = apps_registry
    return {
        name: apps.get_model(app, name)
        for app, name in (
            ("catalog", "LegalBasis"),
            ("contests", "ProductGroup"),
            ("contests", "JurySizeRule"),
            ("contests", "ThresholdRule"),
            ("contests", "CertificateValidityRule"),
            ("contests", "ComplaintRule"),
            ("contests", "ScoreSheet"),
            ("contests", "CriterionGroup"),
            ("contests", "Criterion"),
        )
    }


def seed_contest_rules(apps=None) -> dict[str, int]:
    """Create the missing seed rows; returns how many of each kind were created."""
    m = _models(apps)
    bases = {basis.code: basis for basis in m["LegalBasis"].objects.all()}
    tt26 = bases.get("tt26_2014")
    created = dict.fromkeys(
        ("product_groups", "jury_sizes", "thresholds", "validity", "complaints", "sheets"), 0
    )

    for order, (code, name, name_en) in enumerate(PRODUCT_GROUPS, start=1):
        if not m["ProductGroup"].objects.filter(code=code).exists():
            m["ProductGroup"].objects.create(
                code=code,
                name=name,
                name_en=name_en,
                sort_order=order * 10,
                valid_from=IN_FORCE,
                confirmed=True,
                notes="Thông tư 26/2014/TT-BCT, Điều 5.",
                search_text=normalize(f"{code} {name} {name_en}"),
            )
            created["product_groups"] += 1

    for level, sizes, start, end, basis, article, confirmed, note in JURY_SIZES:
        rules = m["JurySizeRule"].objects.filter(level=level, valid_from=start)
        if not rules.exists():
            rules.create(
                level=level,
                allowed_sizes=sizes,
                valid_from=start,
                valid_to=end,
                legal_basis=bases.get(basis),
                article=article,
                confirmed=confirmed,
                notes=note,
            )
            created["jury_sizes"] += 1

    simple = [
        ("ThresholdRule", "thresholds", {"min_average": Decimal(70)}, "Điều 17 khoản 1", ""),
        (
            "CertificateValidityRule",
            "validity",
            {"years": 3},
            "Điều 17 khoản 3",
            "Theo văn bản gốc; TT 14/2018 và TT 38/2025 có thể đã sửa (chưa xác nhận).",
        ),
        (
            "ComplaintRule",
            "complaints",
            {"filing_working_days": 15, "resolution_working_days": 10},
            "Điều 20",
            "",
        ),
    ]
    for model, key, values, article, note in simple:
        if not m[model].objects.filter(valid_from=IN_FORCE).exists():
            m[model].objects.create(
                valid_from=IN_FORCE,
                legal_basis=tt26,
                article=article,
                confirmed=True,
                notes=note,
                **values,
            )
            created[key] += 1

    if not m["ScoreSheet"].objects.filter(name=SHEET_NAME).exists():
        sheet = m["ScoreSheet"].objects.create(
            name=SHEET_NAME,
            valid_from=IN_FORCE,
            legal_basis=tt26,
            article="Điều 7; Phụ lục 3, 4",
            confirmed=False,
            notes=SHEET_NOTE,
        )
        for group_order, (group_code, group_name, criteria) in enumerate(CRITERIA, start=1):
            group = m["CriterionGroup"].objects.create(
                sheet=sheet, code=group_code, name=group_name, order=group_order
            )
            for order, (code, name, max_points) in enumerate(criteria, start=1):
                m["Criterion"].objects.create(
                    group=group, code=code, name=name, max_points=max_points, order=order
                )
        created["sheets"] += 1
    return created
