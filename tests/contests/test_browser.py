"""The vote in a real browser: a judge logs in and scores the entries in the form, the chair
closes the panel, the results appear, the jury's result and the decision are recorded, and
the certificate PDF is served."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from khuyencong.accounts.models import User
from khuyencong.contests import services
from khuyencong.contests.models import (
    Certificate,
    ContestStatus,
    Eligibility,
    Level,
    ProductGroup,
)
from khuyencong.demo import loader

from .factories import D, dossier, points_at

pytestmark = pytest.mark.e2e


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(loader.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


@pytest.fixture
def contest_2019(demo_site):
    """A 2019 provincial contest being judged by the demo's three judges (giamkhao heads
    the panel), with two eligible entries."""
    judges = [User.objects.get(username=name) for name in ("giamkhao", "giamkhao2", "giamkhao3")]
    contest = services.create_contest(
        actor=None,
        name="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2019 (thử)",
        level=Level.PROVINCE,
        year=2019,
        area=loader.bac_kan(),
        authority_name="Ủy ban nhân dân tỉnh Bắc Kạn",
        registration_opens=D(2019, 2, 25),
        registration_closes=D(2019, 3, 15),
        judging_on=D(2019, 4, 2),
    )
    services.open_registration(contest=contest, actor=None)
    services.add_jury_member(contest=contest, actor=None, full_name="Chủ tịch", role="chair")
    for index in range(6):
        services.add_jury_member(
            contest=contest, actor=None, full_name=f"TV {index}", role="member"
        )
    for index, judge in enumerate(judges):
        services.add_judge(contest=contest, actor=None, user=judge, is_head=index == 0)
    entries = []
    for name, product in (
        ("HTX Thành Ngân", "Lưỡi cày cải tiến"),
        ("HKD Lại Văn Tú", "Kệ gỗ trang trí"),
    ):
        entry = services.register_entry(
            contest=contest,
            actor=None,
            beneficiary=loader.beneficiary(name),
            registered_on=D(2019, 3, 1),
            product_name=product,
            product_group=ProductGroup.objects.get(code="other"),
            own_product=True,
            not_copied=True,
            mass_producible=True,
            lower_certificate_number="05/2018/GCN",
            lower_certificate_level=Level.DISTRICT,
            lower_certificate_valid_until=D(2020, 12, 31),
        )
        dossier(entry)
        services.review_eligibility(
            entry=entry, actor=None, decision=Eligibility.ELIGIBLE, note="Đã kiểm tra."
        )
        entries.append(entry)
    contest = services.start_judging(contest=contest, actor=None)
    # the head and the third judge have already scored on paper-like cards
    for judge, percent in ((judges[0], 80), (judges[2], 76)):
        for entry in entries:
            services.save_scorecard(entry=entry, user=judge, points=points_at(contest, percent))
    return contest, entries


def test_judge_scores_chair_closes_results_and_certificate(
    page: Page, demo_site, contest_2019, screenshot
):
    contest, entries = contest_2019
    criteria = list(contest.score_sheet.criteria())

    # 1. the second judge scores both entries in the form
    log_in(page, demo_site, "giamkhao2")
    page.locator("#mainnav").get_by_role("link", name="Bình chọn sản phẩm").click()
    page.get_by_role("link", name="Phiếu chấm của tôi").first.click()
    for entry in entries:
        page.get_by_role("link", name=f"Chấm điểm: {entry.product_name}").click()
        expect(page.get_by_role("heading", name=re.compile(entry.product_name))).to_be_visible()
        for criterion, points in zip(criteria, points_at(contest, 90).values(), strict=True):
            page.locator(f"input[name=criterion_{criterion.pk}]").fill(
                str(points).replace(".", ",")
            )
        screenshot(page, "contest-score-card")
        page.get_by_role("button", name="Nộp phiếu chấm").click()
        expect(page.get_by_text("Đã lưu phiếu chấm của bạn.")).to_be_visible()
    cards = page.locator(f'section[aria-labelledby="contest-{contest.pk}"] .my-cards')
    expect(cards.get_by_text("đã nộp")).to_have_count(2)
    expect(page.get_by_role("button", name="Kết thúc chấm điểm")).to_have_count(0)  # not the chair

    # 2. the head of the panel closes it; the results appear
    log_in(page, demo_site, "giamkhao")
    page.goto(f"{demo_site}/contests/scoring/")
    page.get_by_role("button", name="Kết thúc chấm điểm").click()
    expect(page.locator("#contest-status")).to_have_text("Đã kết thúc chấm điểm")
    results = page.locator("#results")
    expect(results).to_be_visible()
    for entry in entries:  # (80 + 90 + 76) / 3 = 82.00, both tied first
        row = results.locator(f'tr[data-entry="{entry.product_name}"]')
        expect(row).to_contain_text("82,00")
        expect(row).to_contain_text("1 =")
    screenshot(page, "contest-results")

    # 3. the chair records the jury's result
    page.get_by_role("link", name="Công bố kết quả").click()
    page.locator("input[name=announced_on]").fill("2019-04-05")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#complaint-deadline")).to_contain_text("02/05/2019")

    # 4. the centre records the decision; the certificates are issued
    log_in(page, demo_site, "canbo")
    page.goto(f"{demo_site}/contests/{contest.pk}/")
    page.get_by_role("link", name="Ghi nhận quyết định công nhận").click()
    page.locator("input[name=decision_number]").fill("456/QĐ-UBND")
    page.locator("input[name=decision_date]").fill("2019-05-10")
    page.locator("input[name=signer_capacity]").fill("KT. CHỦ TỊCH")
    page.locator("input[name=signer_position]").fill("PHÓ CHỦ TỊCH")
    page.locator("input[name=signer_name]").fill("Hoàng Văn Minh")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#contest-status")).to_have_text("Đã có quyết định công nhận")
    links = page.locator("#certificates a")
    expect(links).to_have_count(2)
    contest.refresh_from_db()
    assert contest.status == ContestStatus.DECIDED
    first = Certificate.objects.filter(contest=contest).order_by("number").first()
    assert first.number == "T06-2019-001" and first.valid_until == D(2021, 12, 31)
    href = links.first.get_attribute("href")
    response = page.request.get(f"{demo_site}{href}")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
