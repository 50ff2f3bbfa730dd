"""Browser journey of a province starting on its own (issue 21), in Lạng Sơn (not the demo's
Bắc Kạn): a national administrator adds the province's department and centre and invites a
centre officer by a one-time link; the officer chooses a password, signs in, sets the report
signer (the preview shows it as typed) and the report built afterwards carries it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from khuyencong.accounts.models import Role, User

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "mat-khau-quan-tri-2026"
OFFICER_PASSWORD = "mat-khau-can-bo-2026"


@pytest.fixture
def lang_son_site(transactional_db, live_server):
    from khuyencong.demo.reference import seed_reference_data
    from khuyencong.places.loader import load_admin_units

    seed_reference_data()
    load_admin_units(["Lạng Sơn"])
    User.objects.create_superuser("quantri", "quantri@example.org", ADMIN_PASSWORD)
    return live_server.url


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name=re.compile("Xin chào"))).to_be_visible()


def test_a_province_starts_without_the_django_admin(page: Page, lang_son_site, screenshot):
    base = lang_son_site
    sign_in(page, base, "quantri", ADMIN_PASSWORD)

    page.locator("#mainnav").get_by_role("link", name="Thiết lập").click()
    page.get_by_label("Tỉnh").fill("lang son")
    page.get_by_role("button", name="Tỉnh Lạng Sơn").first.click()
    page.get_by_role("button", name="Mở trang thiết lập").click()
    expect(page.get_by_role("heading", name="Thiết lập Tỉnh Lạng Sơn")).to_be_visible()
    expect(page.locator('[data-done="no"]')).to_have_count(7)
    screenshot(page, "setup-checklist")

    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    for kind, name in [
        ("department", "Sở Công Thương tỉnh Lạng Sơn"),
        ("centre", "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Lạng Sơn"),
    ]:
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_name").fill(name)
        page.get_by_role("button", name="Thêm", exact=True).click()
        expect(page.locator("table")).to_contain_text(name)

    page.get_by_role("link", name="Người dùng").first.click()
    page.locator("#id_email").fill("can.bo@langson.example.org")
    page.locator("#id_full_name").fill("Hoàng Thị Mai")
    page.locator("#id_role").select_option(Role.CENTRE_STAFF)
    page.locator("#id_organisation").select_option(
        label="Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Lạng Sơn"
    )
    page.locator("#id_send_email").uncheck()
    page.get_by_role("button", name="Mời", exact=True).click()
    link = page.locator("[data-invitation-link] code").inner_text().strip()
    assert "/setup/invitation/" in link
    expect(page.locator('[data-user="can.bo@langson.example.org"]')).to_contain_text("Đã mời")
    screenshot(page, "setup-users")

    # the officer: chooses a password with the link, which then no longer works
    page.context.clear_cookies()
    page.goto(link)
    page.locator("#id_password").fill(OFFICER_PASSWORD)
    page.locator("#id_password_again").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    assert page.goto(link).status == 410

    sign_in(page, base, "can.bo@langson.example.org", OFFICER_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="Thiết lập").click()
    page.get_by_role("link", name="Thiết lập báo cáo").click()
    page.locator("#id_signer_capacity").select_option("KT. GIÁM ĐỐC")
    page.locator("#id_signer_position").fill("Phó Giám đốc")
    page.locator("#id_signer_name").fill("Vi Văn Thắng")
    page.locator("#id_recipients").fill("Bộ Công Thương\nCục Công Thương địa phương\nLưu: VT")
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text("Vi Văn Thắng")
    expect(preview).to_contain_text("PHÓ GIÁM ĐỐC")
    expect(preview).to_contain_text("KT. GIÁM ĐỐC")
    expect(preview).to_contain_text("- Cục Công Thương địa phương;")
    screenshot(page, "setup-report-settings")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu thiết lập báo cáo.")).to_be_visible()

    # the report built afterwards carries the signer
    page.locator("#mainnav").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("link", name="Lập báo cáo").click()
    page.get_by_label("Năm kế hoạch").fill("2026")
    page.get_by_label("Kỳ báo cáo").select_option("H1")
    page.get_by_role("button", name="Xem trước").click()
    document = page.locator("#report-document")
    expect(document).to_contain_text("Vi Văn Thắng")
    expect(document).to_contain_text("KT. GIÁM ĐỐC")
    expect(document).to_contain_text("SỞ CÔNG THƯƠNG")
