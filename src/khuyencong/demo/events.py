"""Demo: Bắc Kạn's 2018 training conference and trade fairs (an idempotent load_demo step).

The seed names the projects: “hội nghị tập huấn công tác khuyến công” (not yet carried out at
30/06/2018) and “Tham gia hội chợ triển lãm giới thiệu quảng bá sản phẩm CNNT tỉnh Bắc Kạn”
(50 % of the work done at 30/06/2018), and says the conference is for officers of the city's
Economic Office, the districts' Economic and Infrastructure Offices and the communes.

INVENTED for the demo: the dates (conference 25–26/09/2018, after the project's contract of
03/09/2018; fairs 13–17/06/2018 and 01–05/11/2018, consistent with the project's progress),
venues, costs (within the projects' budgets), booths and every participant's name.
As of 30/06/2018 the conference is planned and the first fair held.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from khuyencong.accounts.models import Organisation
from khuyencong.beneficiaries.models import Beneficiary
from khuyencong.demo.projects import load_bac_kan_2018_projects
from khuyencong.events.models import Event, EventKind, EventStatus, Participant, ParticipantKind
from khuyencong.places.models import AdminUnit
from khuyencong.projects.models import Project
from khuyencong.trust.recording import record_created

D = datetime.date
TRAINING_PROJECT = "BK-KCDP-2018-09"
FAIR_PROJECT = "BK-KCDP-2018-04"

# Legacy district codes of Bắc Kạn -> officers trained (invented names and units).
OFFICERS = {
    "058": [
        ("Hà Thị Thu", "Phòng Kinh tế thành phố Bắc Kạn", "Chuyên viên"),
        ("Lưu Văn Hùng", "UBND xã Nông Thượng", "Công chức địa chính - xây dựng"),
        ("Đặng Thị Mai", "UBND phường Đức Xuân", "Công chức văn phòng"),
    ],
    "060": [
        ("Ma Văn Quân", "Phòng Kinh tế và Hạ tầng huyện Pác Nặm", "Phó trưởng phòng"),
        ("Lục Thị Hằng", "UBND xã Bộc Bố", "Công chức"),
    ],
    "061": [
        ("Hoàng Văn Thái", "Phòng Kinh tế và Hạ tầng huyện Ba Bể", "Chuyên viên"),
        ("Dương Thị Nga", "UBND thị trấn Chợ Rã", "Công chức"),
        ("Triệu Văn Lâm", "UBND xã Khang Ninh", "Công chức"),
    ],
    "062": [("Bế Văn Cường", "Phòng Kinh tế và Hạ tầng huyện Ngân Sơn", "Chuyên viên")],
    "063": [
        ("Nông Thị Yến", "Phòng Kinh tế và Hạ tầng huyện Bạch Thông", "Chuyên viên"),
        ("La Văn Tùng", "UBND xã Quân Bình", "Công chức"),
    ],
    "064": [
        ("Lý Văn Phúc", "Phòng Kinh tế và Hạ tầng huyện Chợ Đồn", "Trưởng phòng"),
        ("Hà Văn Bình", "UBND thị trấn Bằng Lũng", "Công chức"),
    ],
    "065": [
        ("Tô Thị Liên", "Phòng Kinh tế và Hạ tầng huyện Chợ Mới", "Chuyên viên"),
        ("Mã Văn Toàn", "UBND xã Yên Hân", "Công chức"),
    ],
    "066": [
        ("Hoàng Thị Hà", "Phòng Kinh tế và Hạ tầng huyện Na Rì", "Chuyên viên"),
        ("Sầm Văn Kiên", "UBND xã Cường Lợi", "Công chức"),
        ("Lương Thị Thắm", "UBND xã Côn Minh", "Công chức"),
    ],
}

FAIRS = [
    {
        "title": "Tham gia Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực phía "
        "Bắc năm 2018",
        "start": D(2018, 6, 13),
        "end": D(2018, 6, 17),
        "venue": "Hà Nội (hội chợ khu vực; địa điểm minh hoạ)",
        "cost": 38_000_000,
        "booths": 4,
        "establishments": [
            "HTX Nông nghiệp Tân Thành",
            "Công ty TNHH Đinh Lâm",
            "HKD Lại Văn Tú",
            "HTX Thành Long",
        ],
    },
    {
        "title": "Hội chợ triển lãm giới thiệu, quảng bá sản phẩm công nghiệp nông thôn tỉnh Bắc "
        "Kạn năm 2018",
        "start": D(2018, 11, 1),
        "end": D(2018, 11, 5),
        "venue": "Quảng trường thành phố Bắc Kạn (minh hoạ)",
        "cost": 42_000_000,
        "booths": 6,
        "establishments": [
            "HTX Nông nghiệp Tân Thành",
            "HTX Thành Ngân",
            "Công ty TNHH Đinh Lâm",
            "HKD Lại Văn Tú",
            "HTX Thành Long",
            "HKD Sằm Văn Thường",
        ],
    },
]
TRAINING_TITLE = "Hội nghị tập huấn công tác khuyến công năm 2018"


def _project(code: str) -> Any:
    project = Project.objects.filter(code=code).first()
    if project is None:
        load_bac_kan_2018_projects()
        project = Project.objects.get(code=code)
    return project


def _centre(province: Any) -> Any:
    return Organisation.objects.filter(kind="centre", province=province).order_by("pk").first()


def _district(province: Any, code: str) -> Any:
    return AdminUnit.objects.filter(level="district", province=province, code=code).first()


def _training(project: Any) -> tuple[Event, list[Participant]]:
    province = project.province
    event = Event.objects.create(
        kind=EventKind.TRAINING,
        title=TRAINING_TITLE,
        project=project,
        start_date=D(2018, 9, 25),
        end_date=D(2018, 9, 26),
        status=EventStatus.HELD,
        place=_district(province, "058") or province,
        venue="Hội trường Sở Công Thương tỉnh Bắc Kạn (minh hoạ)",
        organiser=_centre(province),
        cost=28_500_000,
        notes="Dữ liệu minh hoạ: ngày, địa điểm, kinh phí và danh sách học viên là giả định.",
    )
    participants = [
        Participant(
            event=event,
            kind=ParticipantKind.OFFICER,
            name=name,
            unit=unit,
            position=position,
            district=_district(province, code),
        )
        for code, officers in OFFICERS.items()
        for name, unit, position in officers
    ]
    return event, participants


def _fair(project: Any, spec: dict[str, Any]) -> tuple[Event, list[Participant]]:
    province = project.province
    event = Event.objects.create(
        kind=EventKind.TRADE_FAIR,
        title=spec["title"],
        project=project,
        start_date=spec["start"],
        end_date=spec["end"],
        status=EventStatus.HELD,
        place=province,
        venue=spec["venue"],
        organiser=_centre(province),
        booths_supported=spec["booths"],
        cost=spec["cost"],
        notes="Dữ liệu minh hoạ: ngày, địa điểm, kinh phí và gian hàng là giả định.",
    )
    participants = []
    for index, name in enumerate(spec["establishments"]):
        beneficiary = Beneficiary.objects.filter(province=province, name=name).first()
        participants.append(
            Participant(
                event=event,
                kind=ParticipantKind.ESTABLISHMENT,
                beneficiary=beneficiary,
                name=name,
                unit=name,
                district=beneficiary.district if beneficiary else None,
                has_booth=index < spec["booths"],
            )
        )
    return event, participants


@transaction.atomic
def load_bac_kan_2018_events() -> dict[str, int]:
    """Idempotent: events are found by project and title; only missing ones are created."""
    created = 0
    training_project = _project(TRAINING_PROJECT)
    fair_project = _project(FAIR_PROJECT)
    wanted = [(training_project, TRAINING_TITLE, lambda: _training(training_project))]
    wanted += [
        (fair_project, spec["title"], lambda spec=spec: _fair(fair_project, spec)) for spec in FAIRS
    ]
    for project, title, build in wanted:
        if Event.objects.filter(project=project, title=title).exists():
            continue
        _event, participants = build()
        record_created(Participant.objects.bulk_create(participants))
        created += 1
    return {
        "events_created": created,
        "events": Event.objects.filter(project__in=[training_project, fair_project]).count(),
    }
