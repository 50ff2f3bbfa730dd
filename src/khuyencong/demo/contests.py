"""Demo: Bắc Kạn's 2018 provincial vote for outstanding rural industrial products.

``load_bac_kan_2018_contest()`` is an idempotent step of ``manage.py load_demo``. It attaches
the contest to the seed's completed project “Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh
Bắc Kạn năm 2018” (projects/demo.py; loaded first if missing) and walks the whole vote through
the real services: registration, dossier files, eligibility review, jury and panel, scores,
the chair closing the panel, the announcement, a complaint, the decision and certificates.

The seed says only that the project was completed by 30/06/2018. Everything else here is
INVENTED for the demo and says so: the dates (registration from 26/02/2018, judging on
03/04/2018, results announced 06/04/2018, decision 789/QĐ-UBND of 10/05/2018), the jury and
judges' names, the products and every score. The products are those of the seed's six
establishments.

Expected outcome (threshold 70, exact averages, ranking per product group):
  handicrafts     1. Bộ sản phẩm đan lát từ tre (Công ty TNHH Đinh Lâm)   244/3 = 81,33
  processed food  1. Miến dong Tân Thành (HTX Nông nghiệp Tân Thành)       256/3 = 85,33
  machinery       1. Bộ phụ tùng máy xay xát (HTX Thành Ngân)              227/3 = 75,67
  other           1= Bộ bàn ghế gỗ dân dụng (HTX Thành Long)        144/2 = 72 (one judge
                     declared a conflict of interest)
                  1= Tủ gỗ dân dụng chạm khắc (HKD Lại Văn Tú)               216/3 = 72
                  3. Gạch không nung silicat (HKD Sằm Văn Thường)            190/3 = 63,33
A seventh entry (Dao rựa rèn thủ công, HTX Thành Ngân) is not eligible: 2 photos only.
Five products are recognised, certificates T06-2018-001 … 005, valid to 31/12/2020.
Complaints could be filed until 02/05/2018 (15 working days after 06/04/2018, skipping
Giỗ Tổ 25/04 and 30/04–01/05); HKD Sằm Văn Thường's complaint of 20/04/2018 was rejected
on 04/05/2018 (deadline 09/05/2018).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from khuyencong.accounts.models import User
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.contests import services
from khuyencong.contests.models import (
    Certificate,
    Contest,
    Eligibility,
    FileKind,
    JuryRole,
    Level,
    ProductGroup,
)
from khuyencong.contests.seed import seed_contest_rules
from khuyencong.core.holidays import seed_public_holidays
from khuyencong.core.text import normalize
from khuyencong.demo import loader
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.projects.models import Project

D = datetime.date
PROJECT_CODE = "BK-KCDP-2018-01"
PROJECT_TITLE = "Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2018"
CONTEST_NAME = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu tỉnh Bắc Kạn năm 2018"
AUTHORITY = "Ủy ban nhân dân tỉnh Bắc Kạn"

REGISTRATION = (D(2018, 2, 26), D(2018, 3, 16))
JUDGING_ON = D(2018, 4, 3)
ANNOUNCED_ON = D(2018, 4, 6)
DECISION = ("789/QĐ-UBND", D(2018, 5, 10))  # invented number
SIGNER = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Văn Minh")  # invented name

# (name, position, role, demo username or "")
JURY = [
    ("Hoàng Văn Minh", "Phó Chủ tịch UBND tỉnh", JuryRole.CHAIR, ""),
    ("Lê Thị Bình", "Lãnh đạo Sở Công Thương", JuryRole.STANDING_VICE_CHAIR, "lanhdao"),
    ("Phạm Văn Khảo", "Chuyên gia, Sở Công Thương", JuryRole.MEMBER, "giamkhao"),
    ("Đỗ Thị Lan", "Chuyên gia, Sở Khoa học và Công nghệ", JuryRole.MEMBER, "giamkhao2"),
    ("Vũ Văn Sơn", "Chuyên gia, Sở Nông nghiệp và PTNT", JuryRole.MEMBER, "giamkhao3"),
    ("Triệu Thị Hoa", "Phòng Quản lý công nghiệp, Sở Công Thương", JuryRole.MEMBER, ""),
    ("Nông Văn Đức", "Trung tâm Khuyến công và XTTM", JuryRole.SECRETARY, ""),
]
JUDGES = [("giamkhao", True), ("giamkhao2", False), ("giamkhao3", False)]

# Scores per criterion a1 a2 a3 b1 b2 b3 b4 c1 c2 d1 (the seeded, unconfirmed sheet), per judge.
# None: the judge declared a conflict of interest.
ENTRIES: list[dict[str, Any]] = [
    {
        "beneficiary": "Công ty TNHH Đinh Lâm",
        "product": "Bộ sản phẩm đan lát từ tre",
        "group": "handicrafts",
        "is_set": True,
        "description": "Giỏ, khay, hộp đan từ tre vầu địa phương, sơn phủ chống mốc.",
        "scores": [
            [8, 7.5, 9, 7.5, 7.5, 7, 6.5, 13.5, 8.5, 6],
            [8, 7, 9, 7, 7.5, 7, 6.5, 13, 8, 6],
            [8.5, 7.5, 9.5, 7.5, 8, 7, 6.5, 14, 9, 6.5],
        ],
    },
    {
        "beneficiary": "HTX Nông nghiệp Tân Thành",
        "product": "Miến dong Tân Thành",
        "group": "processed_food",
        "description": "Miến làm từ tinh bột dong riềng trồng tại Bắc Kạn, phơi khô tự nhiên.",
        "scores": [
            [9, 8.5, 9, 8.5, 8.5, 7, 6, 13, 8.5, 8],
            [9, 8, 9.5, 8, 8.5, 7, 6, 12.5, 8, 8.5],
            [8.5, 8.5, 9, 8.5, 8, 6.5, 6, 13, 8.5, 8.5],
        ],
    },
    {
        "beneficiary": "HTX Thành Ngân",
        "product": "Bộ phụ tùng máy xay xát",
        "group": "machinery",
        "is_set": True,
        "description": "Trục, bánh công tác và sàng cho máy xay xát quy mô hộ gia đình.",
        "scores": [
            [8, 7.5, 7, 8, 8.5, 6, 5, 9, 7, 8],
            [8, 8, 7, 8, 8, 6, 5.5, 9.5, 7.5, 7.5],
            [8.5, 8, 7.5, 8, 8.5, 6.5, 5.5, 10, 7.5, 8],
        ],
    },
    {
        "beneficiary": "HKD Lại Văn Tú",
        "product": "Tủ gỗ dân dụng chạm khắc",
        "group": "other",
        "description": "Tủ gỗ nghiến, hoa văn chạm khắc thủ công.",
        "scores": [
            [7.5, 7, 7, 7, 7.5, 5.5, 5, 10, 7.5, 7],
            [7.5, 7.5, 7, 7.5, 7.5, 6, 5, 10.5, 7.5, 7],
            [7.5, 7, 7.5, 7, 7.5, 6, 5, 10, 7.5, 7],
        ],
    },
    {
        "beneficiary": "HTX Thành Long",
        "product": "Bộ bàn ghế gỗ dân dụng",
        "group": "other",
        "is_set": True,
        "description": "Bàn ghế gỗ keo, kiểu dáng truyền thống, lắp ghép mộng.",
        "scores": [
            [7.5, 7, 7.5, 7, 7, 6, 5, 10.5, 7.5, 6.5],
            [7.5, 7.5, 7, 7.5, 7.5, 6, 5, 10.5, 7.5, 6.5],
            None,
        ],
        "conflict": "Có quan hệ họ hàng với Chủ nhiệm HTX Thành Long.",
    },
    {
        "beneficiary": "HKD Sằm Văn Thường",
        "product": "Gạch không nung silicat",
        "group": "other",
        "description": "Gạch block silicat không nung, mác 75.",
        "scores": [
            [6.5, 7, 7, 6.5, 6.5, 5, 5.5, 6, 5.5, 5],
            [7, 7, 7.5, 6.5, 7, 5.5, 5.5, 6.5, 6, 5.5],
            [7, 7.5, 7, 7, 7, 5, 6, 7, 6, 6],
        ],
    },
]
INELIGIBLE = {
    "beneficiary": "HTX Thành Ngân",
    "product": "Dao rựa rèn thủ công",
    "group": "handicrafts",
    "description": "Dao, rựa rèn tay.",
    "photos": 2,
}
REVIEW_NOTE = (
    "Đã đối chiếu bản gốc giấy chứng nhận sản phẩm tiêu biểu cấp huyện năm 2017 (dữ liệu "
    "minh hoạ); hồ sơ đầy đủ."
)
COMPLAINT = {
    "complainant": "HKD Sằm Văn Thường",
    "received_on": D(2018, 4, 20),
    "content": "Đề nghị xem xét lại điểm tiêu chí văn hoá, thẩm mỹ của sản phẩm gạch không nung.",
    "resolved_on": D(2018, 5, 4),
    "outcome": "rejected",
    "resolution": "Hội đồng rà soát phiếu chấm: điểm các giám khảo chấm độc lập, đúng thang "
    "điểm; giữ nguyên kết quả.",
}


def _png(label: str, size: tuple[int, int] = (600, 900)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (222, 205, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, size[0] - 30, size[1] - 30), outline=(90, 60, 20), width=6)
    draw.text((50, 50), label, fill=(40, 30, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _files(entry: Any, actor: Any, photos: int = 3) -> None:
    add = services.add_entry_file
    add(
        entry=entry,
        actor=actor,
        kind=FileKind.REGISTRATION_FORM,
        upload=SimpleUploadedFile("phieu-dang-ky.pdf", MINIMAL_PDF, "application/pdf"),
    )
    add(
        entry=entry,
        actor=actor,
        kind=FileKind.DESCRIPTION,
        upload=SimpleUploadedFile("ban-mo-ta-san-pham.pdf", MINIMAL_PDF, "application/pdf"),
    )
    for view in ("front", "side", "top")[:photos]:
        add(
            entry=entry,
            actor=actor,
            kind=FileKind.PHOTO,
            photo_view=view,
            upload=SimpleUploadedFile(f"anh-{view}.png", _png(f"{entry.pk}-{view}"), "image/png"),
        )


def _ensure_project() -> Any:
    project = Project.objects.filter(code=PROJECT_CODE).first()
    if project is None:
        load_bac_kan_2018_projects()
        project = Project.objects.get(code=PROJECT_CODE)
    return project


def _ensure_rules() -> None:
    seed_public_holidays()
    seed_contest_rules()


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def _beneficiary(name: str, province: Any) -> Any:
    words = normalize(name).split(" ", 1)[-1]  # without the HTX/HKD/Công ty prefix
    return (
        Beneficiary.objects.active()
        .filter(province=province, search_text__contains=normalize(words))
        .order_by("pk")
        .first()
    )


def _register(contest: Contest, spec: dict[str, Any], staff: Any, number: int) -> Any:
    beneficiary = _beneficiary(spec["beneficiary"], contest.area)
    return services.register_entry(
        contest=contest,
        actor=staff,
        beneficiary=beneficiary,
        registered_on=D(2018, 3, 5),
        product_name=spec["product"],
        product_group=ProductGroup.objects.get(code=spec["group"]),
        is_product_set=spec.get("is_set", False),
        description=spec["description"],
        own_product=True,
        not_copied=True,
        mass_producible=True,
        lower_certificate_number=f"{number:02d}/2017/GCN-UBND",  # invented
        lower_certificate_level=Level.DISTRICT,
        lower_certificate_valid_until=D(2019, 12, 31),
    )


@transaction.atomic
def load_bac_kan_2018_contest() -> dict[str, int]:
    """Idempotent: does nothing when the contest already exists. Returns counts."""
    _ensure_rules()
    project = _ensure_project()
    existing = Contest.objects.filter(project=project, name=CONTEST_NAME).first()
    if existing is not None:
        return {
            "contests_created": 0,
            "entries": existing.entries.count(),
            "certificates": existing.certificates.count(),
        }

    staff = _user("canbo")
    chair_judge = _user("giamkhao")
    contest = services.create_contest(
        actor=staff,
        name=CONTEST_NAME,
        level=Level.PROVINCE,
        year=2018,
        area=project.province,
        project=project,
        organiser=loader.department(),
        authority_name=AUTHORITY,
        registration_opens=REGISTRATION[0],
        registration_closes=REGISTRATION[1],
        judging_on=JUDGING_ON,
    )
    services.open_registration(contest=contest, actor=staff)
    for name, position, role, username in JURY:
        services.add_jury_member(
            contest=contest,
            actor=staff,
            full_name=name,
            position=position,
            role=role,
            user=_user(username) if username else None,
        )
    for username, is_head in JUDGES:
        services.add_judge(contest=contest, actor=staff, user=_user(username), is_head=is_head)

    entries = []
    for number, spec in enumerate(ENTRIES, start=1):
        entry = _register(contest, spec, staff, number)
        _files(entry, staff)
        services.review_eligibility(
            entry=entry, actor=staff, decision=Eligibility.ELIGIBLE, note=REVIEW_NOTE
        )
        entries.append((entry, spec))
    rejected = _register(contest, INELIGIBLE, staff, len(ENTRIES) + 1)
    _files(rejected, staff, photos=INELIGIBLE["photos"])
    services.review_eligibility(
        entry=rejected,
        actor=staff,
        decision=Eligibility.INELIGIBLE,
        note="Hồ sơ chỉ có 2 ảnh màu, thiếu ảnh chụp từ trên xuống (TT 26/2014/TT-BCT, Điều 12).",
    )

    contest = services.start_judging(contest=contest, actor=staff)
    criteria = list(contest.score_sheet.criteria())
    for entry, spec in entries:
        for (username, _head), points in zip(JUDGES, spec["scores"], strict=True):
            judge = _user(username)
            if points is None:
                services.save_scorecard(
                    entry=entry, user=judge, conflict=True, conflict_reason=spec["conflict"]
                )
                continue
            values = {c.pk: Decimal(str(p)) for c, p in zip(criteria, points, strict=True)}
            services.save_scorecard(entry=entry, user=judge, points=values)
    contest = services.close_panel(contest=contest, actor=chair_judge)
    contest = services.announce_results(
        contest=contest, actor=chair_judge, announced_on=ANNOUNCED_ON
    )
    sam = next(entry for entry, spec in entries if spec["beneficiary"] == "HKD Sằm Văn Thường")
    complaint = services.file_complaint(
        contest=contest,
        actor=staff,
        complainant=COMPLAINT["complainant"],
        received_on=COMPLAINT["received_on"],
        content=COMPLAINT["content"],
        entry=sam,
    )
    services.resolve_complaint(
        complaint=complaint,
        actor=staff,
        resolved_on=COMPLAINT["resolved_on"],
        outcome=COMPLAINT["outcome"],
        resolution=COMPLAINT["resolution"],
    )
    number, day = DECISION
    capacity, position, name = SIGNER
    certificates = services.record_decision(
        contest=contest,
        actor=_user("lanhdao"),
        decision_number=number,
        decision_date=day,
        signer_capacity=capacity,
        signer_position=position,
        signer_name=name,
    )
    return {
        "contests_created": 1,
        "entries": len(entries) + 1,
        "certificates": Certificate.objects.filter(pk__in=[c.pk for c in certificates]).count(),
    }
