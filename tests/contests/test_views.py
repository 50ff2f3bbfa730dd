"""Contest pages: who sees what, the judge's private cards, the workflow buttons, documents,
the public verification page, the beneficiary page, query budgets."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from khuyencong.accounts.models import Role, ScopeLevel
from khuyencong.contests import selectors, services
from khuyencong.contests.models import Certificate, ContestStatus, Eligibility, ThresholdRule
from khuyencong.places.models import Level
from tests.accounts.factories import THAI_NGUYEN, UserFactory, legacy

from .factories import (
    D,
    closed_contest_with_certificates,
    entry,
    establishment,
    group,
    judging_contest,
    jury_user,
    new_contest,
    png,
    points_at,
    score,
    staff,
)

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    return response, response.content.decode()


def test_a_judge_sees_only_their_own_points_until_the_panel_closes(client):
    contest, (first, _second), (head, other, _third) = judging_contest()
    points = points_at(contest, "83.47")
    services.save_scorecard(entry=first, user=head, points=points)
    score(contest, first, other, "91.23")
    login(client, head)
    for name, args in (
        ("contests:my_scoring", ()),
        ("contests:detail", (contest.pk,)),
        ("contests:entry", (first.pk,)),
        ("contests:score", (first.pk,)),
    ):
        response, html = page(client, name, *args)
        assert response.status_code == 200, name
        assert "91,23" not in html and "91.23" not in html, name
    _response, html = page(client, "contests:my_scoring")
    assert "83,47" in html  # their own total
    # staff follow the progress but see no points either
    login(client, staff())
    _response, html = page(client, "contests:detail", contest.pk)
    assert 'id="scoring-progress"' in html
    assert "83,47" not in html and "91,23" not in html
    assert "1/2" in html  # head and other have each submitted one of two cards


def test_the_score_form_saves_the_judges_card(client):
    contest, (first, _second), (head, *_rest) = judging_contest()
    login(client, head)
    form = {f"criterion_{pk}": str(value) for pk, value in points_at(contest, 80).items()}
    response = client.post(reverse("contests:score", args=[first.pk]), form)
    assert response.status_code == 302
    card = first.cards.get()
    assert card.total == Decimal(80) and card.is_submitted
    # above the maximum: the form refuses, nothing changes
    criterion = contest.score_sheet.criteria().first()
    form[f"criterion_{criterion.pk}"] = str(criterion.max_points + 5)
    response = client.post(reverse("contests:score", args=[first.pk]), form)
    assert response.status_code == 200
    card.refresh_from_db()
    assert card.total == Decimal(80)


def test_a_conflict_declared_in_the_form(client):
    _contest, (first, _second), (head, *_rest) = judging_contest()
    login(client, head)
    response = client.post(
        reverse("contests:score", args=[first.pk]),
        {"conflict": "on", "conflict_reason": "Người thân của chủ cơ sở"},
    )
    assert response.status_code == 302
    assert first.cards.get().conflict_of_interest


def test_someone_off_the_panel_cannot_open_a_score_card(client):
    contest, (first, _second), _users = judging_contest()
    login(client, jury_user())
    assert client.get(reverse("contests:score", args=[first.pk])).status_code in {403, 404}
    assert client.get(reverse("contests:detail", args=[contest.pk])).status_code == 404
    _response, html = page(client, "contests:list")
    assert contest.name not in html


def test_only_the_chair_closes_the_panel_and_results_appear(client):
    contest, entries, users = judging_contest()
    for made in entries:
        for user, total in zip(users, (80, "91.23", 70), strict=True):
            score(contest, made, user, total)
    url = reverse("contests:action", args=[contest.pk, "close_panel"])
    login(client, users[1])
    client.post(url)
    contest.refresh_from_db()
    assert contest.status == ContestStatus.JUDGING
    login(client, users[0])
    _response, html = page(client, "contests:detail", contest.pk)
    assert 'id="close-panel"' in html
    response = client.post(url, follow=True)
    contest.refresh_from_db()
    assert contest.status == ContestStatus.PANEL_CLOSED
    html = response.content.decode()
    assert 'id="results"' in html
    assert "80,41" in html  # (80 + 91.23 + 70) / 3 = 80.41
    assert "1 =" in html  # both entries tie


def test_staff_of_another_province_see_nothing(client):
    contest, (first, _), _users = judging_contest()
    outsider = UserFactory(role=Role.CENTRE_STAFF, province=legacy(Level.PROVINCE, THAI_NGUYEN))
    login(client, outsider)
    assert client.get(reverse("contests:detail", args=[contest.pk])).status_code == 404
    assert client.get(reverse("contests:entry", args=[first.pk])).status_code == 404
    assert contest.name not in page(client, "contests:list")[1]


def test_staff_create_a_contest_and_a_district_officer_cannot(client):
    login(client, staff())
    data = {
        "name": "Bình chọn cấp tỉnh 2019",
        "level": "province",
        "year": "2019",
        "area": str(legacy(Level.PROVINCE, "06").pk),
        "authority_name": "Ủy ban nhân dân tỉnh Bắc Kạn",
        "registration_opens": "2019-03-01",
        "registration_closes": "2019-03-30",
        "judging_on": "2019-04-10",
    }
    response = client.post(reverse("contests:create"), data)
    assert response.status_code == 302
    created = selectors.Contest.objects.get(name="Bình chọn cấp tỉnh 2019")
    assert created.score_sheet is not None and created.status == ContestStatus.PREPARING
    # a level that does not fit the area is refused with a message
    response = client.post(reverse("contests:create"), {**data, "level": "district"})
    assert response.status_code == 200
    assert "Chọn địa bàn tổ chức đúng cấp bình chọn" in response.content.decode()
    officer = UserFactory(
        role=Role.DISTRICT_OFFICER,
        scope_level=ScopeLevel.DISTRICT,
        district=legacy(Level.DISTRICT, "066"),
    )
    login(client, officer)
    assert client.get(reverse("contests:create")).status_code == 403


def test_registering_and_reviewing_an_entry_through_the_pages(client):
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    officer = staff()
    login(client, officer)
    establishment_ = establishment()
    response = client.post(
        reverse("contests:entry_create", args=[contest.pk]),
        {
            "beneficiary": establishment_.pk,
            "product_name": "Chè Shan tuyết",
            "product_group": group("processed_food").pk,
            "registered_on": "2018-03-05",
            "own_product": "yes",
            "not_copied": "yes",
            "mass_producible": "no",
        },
    )
    made = contest.entries.get()
    assert response.status_code == 302 and made.mass_producible is False
    _response, html = page(client, "contests:entry", made.pk)
    assert "Sản phẩm đơn chiếc không được tham gia" in html
    # a text file named .png is refused by content
    response = client.post(
        reverse("contests:entry_file_add", args=[made.pk]),
        {"kind": "photo", "photo_view": "front", "file": _file("anh.png", b"not an image")},
        follow=True,
    )
    assert not made.files.exists()
    assert "alert-danger" in response.content.decode()
    client.post(
        reverse("contests:entry_file_add", args=[made.pk]),
        {"kind": "photo", "photo_view": "front", "file": _file("anh.png", png())},
    )
    assert made.files.get().width == 60
    # eligible is refused while a check fails
    client.post(reverse("contests:entry_review", args=[made.pk]), {"decision": "eligible"})
    made.refresh_from_db()
    assert made.eligibility == Eligibility.PENDING


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_an_establishment_registers_its_own_product_and_sees_only_its_entries(client):
    contest = new_contest()
    services.open_registration(contest=contest, actor=None)
    own = establishment()
    other_entry = entry(contest, eligible=False)
    user = UserFactory(role=Role.BENEFICIARY, beneficiary=own)
    login(client, user)
    _response, html = page(client, "contests:detail", contest.pk)
    assert other_entry.product_name not in html
    assert client.get(reverse("contests:entry", args=[other_entry.pk])).status_code == 404
    response = client.get(reverse("contests:entry_create", args=[contest.pk]))
    form = response.context["form"]
    assert list(form.fields["beneficiary"].queryset) == [own]


def test_certificate_pdf_decision_documents_and_verification(client):
    contest, certificates = closed_contest_with_certificates()
    certificate = certificates[0]
    login(client, staff())
    response = client.get(reverse("contests:certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert certificate.number in text
    assert certificate.product_name in text
    assert "31 tháng 12 năm 2020" in text
    assert "SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH" in text
    docx = client.get(reverse("contests:decision_document", args=[contest.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = client.get(reverse("contests:decision_document", args=[contest.pk, "xlsx"]))
    assert xlsx.status_code == 200
    client.logout()
    # the public page, without logging in
    response, html = page(client, "contests:verify", number=certificate.number.lower())
    assert response.status_code == 200
    assert "Giấy chứng nhận này đã hết hiệu lực." in html  # 2020 is past
    assert certificate.product_name in html
    _response, html = page(client, "contests:verify", number="T06-2018-999")
    assert "Không có giấy chứng nhận nào mang số này." in html
    assert client.get(reverse("contests:certificate_pdf", args=[certificate.pk])).status_code == 302


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_beneficiary_page_lists_certified_products_and_the_priority(client):
    _contest, certificates = closed_contest_with_certificates()
    certificate = certificates[0]
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=today.replace(year=today.year + 1)
    )
    login(client, staff())
    _response, html = page(client, "beneficiaries:detail", certificate.beneficiary_id)
    assert 'id="certified-product-list"' in html
    assert certificate.number in html and "được ưu tiên hỗ trợ" in html
    assert selectors.has_valid_certificate(certificate.beneficiary, today)
    assert not selectors.has_valid_certificate(certificates[1].beneficiary, today)


def test_certificates_expiring_soon_are_listed_for_staff(client):
    _contest, certificates = closed_contest_with_certificates()
    soon, later = certificates[:2]
    today = timezone.localdate()
    Certificate.objects.filter(pk=soon.pk).update(valid_until=today + timezone.timedelta(days=30))
    Certificate.objects.filter(pk=later.pk).update(valid_until=today + timezone.timedelta(days=400))
    login(client, staff())
    _response, html = page(client, "contests:certificates", expiring="1")
    assert soon.number in html and later.number not in html
    _response, html = page(client, "contests:certificates")
    assert soon.number in html and later.number in html


def test_rules_page_for_everyone_editing_for_the_system_administrator(client):
    login(client, staff())
    response, html = page(client, "contests:rules")
    assert response.status_code == 200
    assert "CHƯA XÁC NHẬN" in html and "Giỗ Tổ Hùng Vương" in html
    rule = ThresholdRule.objects.get()
    assert client.get(reverse("contests:rule_edit", args=["threshold", rule.pk])).status_code == 403
    admin = UserFactory(role=Role.SYSTEM_ADMIN, scope_level=ScopeLevel.NATIONAL, province=None)
    login(client, admin)
    response = client.post(
        reverse("contests:rule_edit", args=["threshold", rule.pk]),
        {
            "min_average": "75",
            "valid_from": "2014-10-21",
            "valid_to": "",
            "article": "Điều 17",
            "confirmed": "on",
            "notes": "",
            "expected_version": str(rule.version),
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.min_average == Decimal(75) and rule.version == 2
    response = client.post(
        reverse("contests:rule_create", args=["jury-size"]),
        {"level": "province", "allowed_sizes": "8", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 200  # an even size is refused
    assert "số thành viên lẻ" in response.content.decode()


def test_contest_list_query_count_does_not_grow(client):
    login(client, staff())
    for _ in range(3):
        new_contest()
    client.get(reverse("contests:list"))  # warm caches (sessions, user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("contests:list"))
    for _ in range(12):
        new_contest()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("contests:list"))
    assert len(response.context["object_list"]) == 15
    assert len(many) == len(few)


def test_a_jury_member_lists_only_their_contests(client):
    contest, _entries, users = judging_contest()
    new_contest()  # another contest in the same province
    login(client, users[1])
    response = client.get(reverse("contests:list"))
    assert [c.pk for c in response.context["object_list"]] == [contest.pk]


def test_announce_complaint_and_decision_pages(client):
    contest, entries, users = judging_contest()
    for made in entries:
        for user in users:
            score(contest, made, user, 75)
    services.close_panel(contest=contest, actor=users[0])
    login(client, users[0])  # the head of the panel records the jury's result
    response = client.post(
        reverse("contests:announce", args=[contest.pk]),
        {"announced_on": "2018-04-06", "recognised": [entries[0].pk]},
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.status == ContestStatus.RESULTS_ANNOUNCED
    assert contest.complaint_deadline == D(2018, 5, 2)
    login(client, staff())
    _response, html = page(client, "contests:detail", contest.pk)
    assert "02/05/2018" in html
    response = client.post(
        reverse("contests:decision", args=[contest.pk]),
        {
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2018-04-20",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "A",
        },
    )
    assert response.status_code == 200  # inside the complaint window
    assert "02/05/2018" in response.content.decode()
    response = client.post(
        reverse("contests:decision", args=[contest.pk]),
        {
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2018-05-10",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "A",
        },
    )
    assert response.status_code == 302
    assert Certificate.objects.filter(contest=contest).count() == 1


def test_staff_edit_a_contest_until_judging_starts(client):
    contest = new_contest()
    login(client, staff())
    url = reverse("contests:edit", args=[contest.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="Tên mới", registration_opens="2018-02-26")
    data["registration_closes"] = "2018-03-16"
    data["judging_on"] = "2018-04-03"
    response = client.post(url, data)
    assert response.status_code == 302
    contest.refresh_from_db()
    assert (contest.name, contest.version) == ("Tên mới", 2)
    # a stale form (someone saved meanwhile) changes nothing
    response = client.post(url, {**data, "name": "Cũ"})
    assert response.status_code == 200
    contest.refresh_from_db()
    assert contest.name == "Tên mới"
    judging, _entries, _users = judging_contest()
    assert client.get(reverse("contests:edit", args=[judging.pk])).status_code == 404


def test_htmx_list_requests_get_only_the_table(client):
    new_contest(name="Kỳ bình chọn có dấu")
    login(client, staff())
    response = client.get(
        reverse("contests:list"), {"q": "ky binh chon co dau"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Kỳ bình chọn có dấu" in html
    assert "<nav" not in html  # the partial, not the page


def test_jury_forms_offer_only_accounts_of_the_contests_province_and_national_ones(client):
    contest = new_contest()
    own = jury_user(username="giamkhao-bac-kan")
    other = jury_user(username="giamkhao-thai-nguyen", province=legacy(Level.PROVINCE, THAI_NGUYEN))
    national = UserFactory(
        username="giamkhao-quoc-gia", role=Role.JURY_MEMBER, scope_level=ScopeLevel.NATIONAL
    )
    login(client, staff())
    for name in ("contests:jury_add", "contests:judge_add"):
        response, text = page(client, name, contest.pk)
        assert response.status_code == 200
        assert own.username in text and national.username in text
        assert other.username not in text
    members = contest.jury.count()
    refused = client.post(
        reverse("contests:jury_add", args=[contest.pk]),
        {"full_name": "Người tỉnh khác", "role": "member", "user": other.pk},
    )
    assert refused.status_code == 200 and "user" in refused.context["form"].errors
    assert contest.jury.count() == members
