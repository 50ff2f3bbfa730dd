"""The demo step: Bắc Kạn's 2018 provincial vote, with the results its docstring states."""

from __future__ import annotations

from decimal import Decimal

import pytest

from khuyencong.contests.models import Certificate, Complaint, Contest, ContestStatus, ScoreCard
from khuyencong.demo import run
from khuyencong.demo.contests import CONTEST_NAME, load_bac_kan_2018_contest

from .factories import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    run.load_demo()
    return Contest.objects.get(name=CONTEST_NAME)


def test_the_contest_is_attached_to_the_seed_project_and_decided(demo):
    assert demo.project.code == "BK-KCDP-2018-01"
    assert demo.project.title == "Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2018"
    assert demo.status == ContestStatus.DECIDED
    assert (demo.level, demo.year, demo.area.name) == ("province", 2018, "Tỉnh Bắc Kạn")
    assert demo.jury.count() == 7 and demo.judges.count() == 3
    assert demo.threshold == Decimal(70)
    assert demo.results_announced_on == D(2018, 4, 6)
    assert demo.complaint_deadline == D(2018, 5, 2)  # Giỗ Tổ, 30/4 and 1/5 skipped
    assert (demo.decision_number, demo.decision_date) == ("789/QĐ-UBND", D(2018, 5, 10))


def test_results_per_group_with_the_tie(demo):
    rows = {
        e.product_name: (
            e.product_group.code,
            e.rank_in_group,
            e.tied,
            e.average_score,
            e.recognised,
        )
        for e in demo.entries.select_related("product_group")
    }
    assert rows == {
        "Bộ sản phẩm đan lát từ tre": ("handicrafts", 1, False, Decimal("81.33"), True),
        "Miến dong Tân Thành": ("processed_food", 1, False, Decimal("85.33"), True),
        "Bộ phụ tùng máy xay xát": ("machinery", 1, False, Decimal("75.67"), True),
        "Tủ gỗ dân dụng chạm khắc": ("other", 1, True, Decimal("72.00"), True),
        "Bộ bàn ghế gỗ dân dụng": ("other", 1, True, Decimal("72.00"), True),
        "Gạch không nung silicat": ("other", 3, False, Decimal("63.33"), False),
        "Dao rựa rèn thủ công": ("handicrafts", None, False, None, None),  # not eligible
    }
    conflicted = ScoreCard.objects.get(conflict_of_interest=True)
    assert conflicted.entry.product_name == "Bộ bàn ghế gỗ dân dụng"
    assert conflicted.entry.score_count == 2


def test_certificates_and_the_complaint(demo):
    numbers = list(Certificate.objects.order_by("number").values_list("number", "valid_until"))
    assert numbers == [(f"T06-2018-00{i}", D(2020, 12, 31)) for i in range(1, 6)]
    complaint = Complaint.objects.get()
    assert complaint.filed_in_time and complaint.resolution_deadline == D(2018, 5, 9)
    assert complaint.outcome == "rejected" and not complaint.resolved_late


def test_the_step_is_idempotent(demo):
    counts = (Contest.objects.count(), Certificate.objects.count(), ScoreCard.objects.count())
    assert load_bac_kan_2018_contest()["contests_created"] == 0
    run.load_demo()
    assert counts == (
        Contest.objects.count(),
        Certificate.objects.count(),
        ScoreCard.objects.count(),
    )
