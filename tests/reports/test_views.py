"""Report pages: saved reports, the preview with editable texts, downloads, changes, archive."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.urls import reverse

from khuyencong.projects import services as project_services
from khuyencong.projects.models import Project
from khuyencong.reports import services
from khuyencong.reports.builder import ReportRefused
from khuyencong.reports.edits import ReportEdits
from khuyencong.reports.models import ReportState, SavedReport
from tests.factories import UserFactory
from tests.reports.conftest import DEMO_ISSUED_ON, login

PREVIEW = reverse("reports:preview")


def preview_url(demo, period="H1", **extra):
    query = f"province={demo.province.pk}&year=2018&period={period}"
    for key, value in extra.items():
        query += f"&{key}={value}"
    return f"{PREVIEW}?{query}"


def form_post(response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["issued_on"] = DEMO_ISSUED_ON.isoformat()
    data.update(changes)
    return data


def docx_text(content: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def save(demo, user="canbo", period="H1", as_of=None) -> SavedReport:
    as_of = as_of or {"H1": datetime.date(2018, 6, 30), "Y": datetime.date(2018, 12, 31)}[period]
    return services.save_report(
        user=demo.users[user],
        province=demo.province,
        year=2018,
        period=period,
        as_of=as_of,
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
    )


def test_pages_need_a_login(client):
    for url in (reverse("reports:index"), reverse("reports:new"), PREVIEW):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_district_officers_and_jury_members_have_no_report_pages(client, demo):
    for username in ("huyen", "giamkhao"):
        login(client, demo.users[username])
        assert client.get(reverse("reports:index")).status_code == 403
        assert client.get(preview_url(demo)).status_code == 403


def test_new_report_form_redirects_to_the_preview(client, demo):
    login(client, demo.users["canbo"])
    page = client.get(reverse("reports:new"))
    assert page.status_code == 200
    assert "Toàn quốc" not in page.content.decode()  # a province user has no national choice
    response = client.get(
        reverse("reports:new"), {"province": demo.province.pk, "year": 2018, "period": "H1"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(PREVIEW)


def test_a_report_up_to_a_date_needs_its_date(client, demo):
    login(client, demo.users["canbo"])
    response = client.get(preview_url(demo, period="D"))
    assert response.status_code == 200
    assert "Cho biết ngày báo cáo tính đến." in response.content.decode()


def test_preview_shows_the_report_built_from_the_projects(
    client, demo, django_assert_max_num_queries
):
    login(client, demo.users["canbo"])
    # 32: issue 19's citations read the plans' decisions and the allocation letters (2 queries)
    with django_assert_max_num_queries(32):
        response = client.get(preview_url(demo))
    page = response.content.decode()
    assert "Xem trước báo cáo" in page
    assert "– 02/10 đề án đã hoàn thành gồm:" in page
    assert "Cục Công Thương địa phương giao nhiệm vụ từ tháng 5/2018" in page
    assert 'data-chart="status"' in page  # the chart annex, as in the documents


def test_a_province_user_cannot_preview_another_province(client, demo):
    from khuyencong.places.models import AdminUnit, Era, Level

    cao_bang = AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, code="04")
    login(client, demo.users["canbo"])
    response = client.get(f"{PREVIEW}?province={cao_bang.pk}&year=2018&period=H1")
    assert response.status_code == 200  # the form refuses a province outside the choices
    assert "report-scope" in response.content.decode()


def test_edited_text_goes_into_the_preview_and_the_download(client, demo):
    login(client, demo.users["canbo"])
    page = client.get(preview_url(demo))
    edited = "Trong 6 tháng đầu năm, Trung tâm đã đôn đốc từng đơn vị thụ hưởng (đoạn đã sửa)."
    data = form_post(page, narrative_local=edited, action="refresh")
    partial = client.post(preview_url(demo), data, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert edited in partial.content.decode()
    assert "<nav" not in partial.content.decode()  # only the document partial
    data["action"] = "docx"
    download = client.post(preview_url(demo), data)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert edited in docx_text(download.content)
    assert not SavedReport.objects.exists()  # downloading does not save


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_preview_downloads(client, demo, fmt, magic):
    login(client, demo.users["canbo"])
    page = client.get(preview_url(demo))
    response = client.post(preview_url(demo), form_post(page, action=fmt))
    assert response.status_code == 200
    assert response.content.startswith(magic)


def test_saving_keeps_the_edited_texts_and_the_files(client, demo):
    login(client, demo.users["canbo"])
    page = client.get(preview_url(demo))
    response = client.post(
        preview_url(demo),
        form_post(page, action="save", number="125", solutions="Giải pháp một.\nGiải pháp hai."),
    )
    report = SavedReport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.state == ReportState.READY and report.progress == 100
    assert report.number == "125"
    assert report.solutions == "Giải pháp một.\nGiải pháp hai."
    assert report.snapshot["solutions"] == ["Giải pháp một.", "Giải pháp hai."]
    assert report.snapshot["number"] == "125"
    text = docx_text(report.docx_file.open("rb").read())
    assert "– Giải pháp hai." in text and "Số: 125/BC-SCT" not in text  # number is in a table
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "– Giải pháp một." in detail
    assert reverse("reports:download", args=[report.pk, "docx"]) in detail


def test_a_saved_report_downloads_the_same_bytes_later(client, demo):
    report = save(demo)
    login(client, demo.users["canbo"])
    first = {
        fmt: b"".join(
            client.get(reverse("reports:download", args=[report.pk, fmt])).streaming_content
        )
        for fmt in ("docx", "pdf", "xlsx")
    }
    # the projects move on: more work, more money
    project = Project.objects.get(code="BK-KCDP-2018-05")
    project_services.record_progress(
        project=project,
        actor=project_services.SYSTEM,
        date=datetime.date(2018, 6, 29),
        progress_percent=80,
        disbursed_amount=0,
    )
    for fmt, content in first.items():
        again = b"".join(
            client.get(reverse("reports:download", args=[report.pk, fmt])).streaming_content
        )
        assert hashlib.sha256(again).digest() == hashlib.sha256(content).digest()
        assert services.file_digest(report, fmt) == hashlib.sha256(content).hexdigest()
    response = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    assert 'filename="bao-cao-khuyen-cong-bac-kan-H1-2018.docx"' in response["Content-Disposition"]


def test_changes_since_the_previous_report(client, demo):
    half = save(demo, period="H1")
    year = save(demo, period="Y")
    login(client, demo.users["canbo"])
    response = client.get(reverse("reports:changes", args=[year.pk]))
    assert response.context["since"] == half
    changes = {change.reference: change for change in response.context["changes"]}
    tan_thanh = changes["BK-KCQG-2018-01"]
    assert tan_thanh.status_changed and tan_thanh.disbursed_changed
    assert tan_thanh.old_disbursed == 100_000_000 and tan_thanh.new_disbursed == 250_000_000
    assert changes["BK-KCQG-2018-03"].new_status.startswith("Đã dừng thực hiện")
    assert "BK-KCDP-2018-10" not in changes  # still not started, no money: unchanged
    assert "BK-KCDP-2018-08" not in changes  # still asking to stop, nothing paid
    page = response.content.decode()
    assert 'data-reference="BK-KCQG-2018-01"' in page


def test_the_only_report_has_nothing_to_compare_with(client, demo):
    report = save(demo)
    login(client, demo.users["canbo"])
    response = client.get(reverse("reports:changes", args=[report.pk]))
    assert response.context["since"] is None
    assert "Chưa có báo cáo nào" in response.content.decode()


def test_saved_reports_list_is_scoped(client, demo, django_assert_max_num_queries):
    save(demo)
    national = services.save_report(
        user=demo.users["quocgia"],
        province=None,
        year=2018,
        period="H1",
        as_of=datetime.date(2018, 6, 30),
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
        background=False,
    )
    login(client, demo.users["canbo"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("reports:index"))
    assert list(page.context["object_list"]) == [SavedReport.objects.get(province=demo.province)]
    assert client.get(reverse("reports:detail", args=[national.pk])).status_code == 404
    login(client, demo.users["quocgia"])
    assert len(client.get(reverse("reports:index")).context["object_list"]) == 2


def test_archiving_hides_a_report_but_keeps_it(client, demo):
    report = save(demo)
    login(client, demo.users["canbo"])
    response = client.post(reverse("reports:archive", args=[report.pk]))
    assert response.status_code == 302
    assert SavedReport.objects.get(pk=report.pk).archived_at is not None
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


def test_the_department_leader_may_save_reports_a_beneficiary_may_not(demo):
    assert save(demo, user="lanhdao").is_ready
    leader = UserFactory(role="department_leader", province=demo.province)
    assert services.check_create(leader, demo.province) is None
    with pytest.raises(ReportRefused):
        services.check_create(demo.users["htx"], demo.province)
