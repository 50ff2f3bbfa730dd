"""Report sign-off (issue 21): draft → submitted → signed and issued → sent; the lock on an
issued report (model, form, admin, API); a correction as a new version; the history; the
national list of the provinces' issued reports with late ones flagged, scoped by province."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.core.workflow import Refused
from khuyencong.places.models import AdminUnit, Era, Level
from khuyencong.reports import services, signoff
from khuyencong.reports.builder import ReportRefused
from khuyencong.reports.edits import ReportEdits
from khuyencong.reports.models import (
    ReportLocked,
    SavedReport,
    SignoffStatus,
    SignoffStep,
)
from tests.factories import UserFactory
from tests.reports.conftest import DEMO_ISSUED_ON, login

D = datetime.date


def save(demo, user="canbo", period="H1") -> SavedReport:
    as_of = {"H1": D(2018, 6, 30), "Y": D(2018, 12, 31)}[period]
    return services.save_report(
        user=demo.users[user],
        province=demo.province,
        year=2018,
        period=period,
        as_of=as_of,
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON, solutions=("Giải pháp ban đầu",)),
    )


ISSUED_ON = D(2018, 7, 10)


def issued(demo, number="57", day=ISSUED_ON) -> SavedReport:
    report = save(demo)
    report = services.submit_report(user=demo.users["canbo"], report=report)
    return services.issue_report(
        user=demo.users["lanhdao"], report=report, number=number, issued_on=day
    )


def docx_text(field) -> str:
    from docx import Document

    with field.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# --------------------------------------------------------------------------------------------
# The table (pure)


def test_the_table_allows_each_step_only_from_its_status():
    expected = {
        "submit": {SignoffStatus.DRAFT},
        "return": {SignoffStatus.SUBMITTED},
        "issue": {SignoffStatus.SUBMITTED},
        "send": {SignoffStatus.ISSUED},
    }
    for row in signoff.TABLE:
        assert set(row.sources) == expected[row.kind]
        for status in SignoffStatus:
            if status in expected[row.kind]:
                signoff.TABLE.check(row, status)
            else:
                with pytest.raises(Refused) as refused:
                    signoff.TABLE.check(row, status)
                assert refused.value.code == "illegal"
    with pytest.raises(Refused):
        signoff.TABLE.row("delete")


def test_a_province_report_is_signed_by_the_province_a_national_one_by_the_agency():
    assert signoff.side_problem(national_user=True, system_admin=False, nationwide=False)
    assert signoff.side_problem(national_user=False, system_admin=False, nationwide=True)
    assert signoff.side_problem(national_user=True, system_admin=False, nationwide=True) is None
    assert signoff.side_problem(national_user=False, system_admin=False, nationwide=False) is None
    assert signoff.side_problem(national_user=True, system_admin=True, nationwide=False) is None


def test_deadlines_and_lateness():
    assert signoff.deadline("H1", 2018) == D(2018, 7, 15)
    assert signoff.deadline("Y", 2018) == D(2019, 1, 15)
    assert signoff.deadline("D", 2018) is None
    assert not signoff.is_late("H1", 2018, D(2018, 7, 15))
    assert signoff.is_late("H1", 2018, D(2018, 7, 16))
    assert not signoff.is_late("H1", 2018, None)
    assert signoff.is_late("Y", 2018, D(2019, 2, 1))
    assert signoff.DEADLINES_CONFIRMED is False


# --------------------------------------------------------------------------------------------
# Services


def test_the_whole_sign_off_with_its_history(demo):
    report = save(demo)
    assert report.status == SignoffStatus.DRAFT
    report = services.submit_report(user=demo.users["canbo"], report=report)
    assert report.status == SignoffStatus.SUBMITTED
    report = services.issue_report(
        user=demo.users["lanhdao"], report=report, number="57", issued_on=D(2018, 7, 10)
    )
    assert (report.status, report.number, report.issued_on) == ("issued", "57", D(2018, 7, 10))
    assert report.is_locked
    report = services.send_report(
        user=demo.users["lanhdao"], report=report, sent_on=D(2018, 7, 12), sent_to="Cục CTĐP"
    )
    assert (report.status, report.sent_on) == (SignoffStatus.SENT, D(2018, 7, 12))
    steps = list(report.signoff_steps.values_list("step", "actor__username", "to_status"))
    assert steps == [
        ("draft", "canbo", "draft"),
        ("submit", "canbo", "submitted"),
        ("issue", "lanhdao", "issued"),
        ("send", "lanhdao", "sent"),
    ]
    step = report.signoff_steps.get(step="issue")
    assert (step.number, step.day) == ("57", D(2018, 7, 10))
    with pytest.raises(Exception):  # noqa: B017 - append-only: HardDeleteError
        step.save()


def test_issuing_regenerates_the_files_with_the_number_and_date(demo):
    report = save(demo)
    before = docx_text(report.docx_file)
    assert "57/" not in before
    report = services.submit_report(user=demo.users["canbo"], report=report)
    figures = dict(report.snapshot["sections"][0]) if report.snapshot.get("sections") else None
    report = services.issue_report(
        user=demo.users["lanhdao"], report=report, number="57", issued_on=D(2018, 7, 10)
    )
    text = docx_text(report.docx_file)
    symbol = report.snapshot["symbol"]
    assert f"57/{symbol}" in text
    assert "ngày 10 tháng 7 năm 2018" in text
    from pypdf import PdfReader

    with report.pdf_file.open("rb") as handle:
        pdf = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    assert f"57/{symbol}" in pdf
    assert report.snapshot["number"] == "57"
    if figures is not None:  # the figures that were submitted stay the figures issued
        assert dict(report.snapshot["sections"][0]) == figures


def test_steps_refused_out_of_order_and_by_the_wrong_role(demo):
    report = save(demo)
    with pytest.raises(services.SignoffRefused):  # not submitted yet
        services.issue_report(
            user=demo.users["lanhdao"], report=report, number="1", issued_on=D(2018, 7, 10)
        )
    with pytest.raises(services.SignoffRefused):
        services.send_report(user=demo.users["lanhdao"], report=report, sent_on=D(2018, 7, 10))
    report = services.submit_report(user=demo.users["canbo"], report=report)
    with pytest.raises(ReportRefused):  # centre staff do not sign
        services.issue_report(
            user=demo.users["canbo"], report=report, number="1", issued_on=D(2018, 7, 10)
        )
    with pytest.raises(ReportRefused):  # the national agency does not sign a province's report
        services.issue_report(
            user=demo.users["quocgia"], report=report, number="1", issued_on=D(2018, 7, 10)
        )
    for number, day in (("", D(2018, 7, 10)), ("  ", D(2018, 7, 10)), ("5", None)):
        with pytest.raises(services.SignoffRefused):
            services.issue_report(
                user=demo.users["lanhdao"], report=report, number=number, issued_on=day
            )
    with pytest.raises(services.SignoffRefused):  # before the date of its figures
        services.issue_report(
            user=demo.users["lanhdao"], report=report, number="5", issued_on=D(2018, 6, 1)
        )
    report.refresh_from_db()
    assert report.status == SignoffStatus.SUBMITTED
    assert report.signoff_steps.count() == 2
    report = services.issue_report(
        user=demo.users["lanhdao"], report=report, number="5", issued_on=D(2018, 7, 10)
    )
    with pytest.raises(services.SignoffRefused):  # sent before it was issued
        services.send_report(user=demo.users["lanhdao"], report=report, sent_on=D(2018, 7, 1))
    with pytest.raises(services.SignoffRefused):  # issued twice
        services.issue_report(
            user=demo.users["lanhdao"], report=report, number="6", issued_on=D(2018, 7, 11)
        )


def test_the_leader_returns_a_draft_with_a_reason(demo):
    report = services.submit_report(user=demo.users["canbo"], report=save(demo))
    with pytest.raises(services.SignoffRefused):
        services.return_report(user=demo.users["lanhdao"], report=report, reason="  ")
    report = services.return_report(
        user=demo.users["lanhdao"], report=report, reason="Bổ sung số liệu giải ngân"
    )
    assert report.status == SignoffStatus.DRAFT
    assert report.signoff_steps.last().note == "Bổ sung số liệu giải ngân"


def test_a_stale_version_is_refused(demo):
    report = save(demo)
    from khuyencong.core.models import VersionConflict

    opened = report.version
    services.submit_report(user=demo.users["canbo"], report=report, expected_version=opened)
    with pytest.raises((VersionConflict, services.SignoffRefused)):
        services.return_report(
            user=demo.users["lanhdao"], report=report, reason="x", expected_version=opened
        )


# --------------------------------------------------------------------------------------------
# The lock


def test_an_issued_report_cannot_change_from_any_caller(demo):
    report = issued(demo)
    for field, value in (
        ("number", "99"),
        ("solutions", "Giải pháp khác"),
        ("issued_on", D(2018, 8, 1)),
        ("signer_name", "Người khác"),
        ("snapshot", {}),
    ):
        stale = SavedReport.objects.get(pk=report.pk)
        setattr(stale, field, value)
        with pytest.raises(ReportLocked):
            stale.save()
        with pytest.raises(ReportLocked):
            stale.save(update_fields=[field])
    stale = SavedReport.objects.get(pk=report.pk)
    stale.docx_file.name = "reports/other.docx"
    with pytest.raises(ReportLocked):
        stale.save()
    stored = SavedReport.objects.get(pk=report.pk)
    assert (stored.number, stored.solutions) == ("57", "Giải pháp ban đầu")
    with pytest.raises(ReportRefused):  # not archived either: a correction replaces it
        services.archive_report(user=demo.users["lanhdao"], report=stored)
    # a draft still changes (e.g. archived)
    draft = save(demo, period="Y")
    draft.solutions = "Sửa bản nháp"
    draft.save()


def test_the_admin_does_not_change_a_saved_report(client, demo):
    report = issued(demo)
    login(client, demo.users["admin"])
    url = reverse("admin:reports_savedreport_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Lê Thị Bình" in page.content.decode() or "lanhdao" in page.content.decode()
    response = client.post(url, {"number": "99", "solutions": "Khác"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.number == "57"


def test_the_api_has_no_way_to_change_a_saved_report(client, demo):
    report = issued(demo)
    login(client, demo.users["admin"])
    for method in ("patch", "put", "post", "delete"):
        response = getattr(client, method)(
            f"/api/v1/reports/{report.pk}", {"number": "99"}, content_type="application/json"
        )
        assert response.status_code in (401, 403, 404, 405)
    report.refresh_from_db()
    assert report.number == "57"


def test_the_page_shows_the_lock_and_offers_no_edit(client, demo):
    report = issued(demo)
    login(client, demo.users["lanhdao"])
    text = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="report-locked"' in text
    assert reverse("reports:archive", args=[report.pk]) not in text
    assert 'id="form-issue"' not in text
    assert 'id="form-send"' in text  # the next step: sending
    assert 'id="prepare-correction"' in text


# --------------------------------------------------------------------------------------------
# Pages


def test_steps_through_the_pages(client, demo):
    report = save(demo)
    detail = reverse("reports:detail", args=[report.pk])
    login(client, demo.users["canbo"])
    page = client.get(detail).content.decode()
    assert 'id="form-submit"' in page and 'id="form-issue"' not in page
    response = client.post(
        reverse("reports:submit", args=[report.pk]), {"expected_version": report.version}
    )
    assert response.status_code == 302
    # centre staff cannot issue: 403 with the reason, nothing changed
    report.refresh_from_db()
    response = client.post(
        reverse("reports:issue", args=[report.pk]),
        {"expected_version": report.version, "number": "8", "issued_on": "10/07/2018"},
    )
    assert response.status_code == 403
    login(client, demo.users["lanhdao"])
    # hostile or missing input: the page again with a Vietnamese message, nothing changed
    for data in (
        {"expected_version": report.version, "number": "", "issued_on": "10/07/2018"},
        {"expected_version": report.version, "number": "8", "issued_on": "31/02/2018"},
        {"expected_version": report.version, "number": "8", "issued_on": "01/01/2018"},
        {"expected_version": "x", "number": "8", "issued_on": "10/07/2018"},
        {"expected_version": report.version, "number": "8" * 300, "issued_on": "10/07/2018"},
    ):
        response = client.post(reverse("reports:issue", args=[report.pk]), data)
        assert response.status_code == 200, data
        report.refresh_from_db()
        assert report.status == SignoffStatus.SUBMITTED
    response = client.post(
        reverse("reports:issue", args=[report.pk]),
        {"expected_version": report.version - 1, "number": "8", "issued_on": "10/07/2018"},
    )
    assert response.status_code == 200
    assert "Người khác đã thao tác trên báo cáo này" in response.content.decode()
    response = client.post(
        reverse("reports:issue", args=[report.pk]),
        {"expected_version": report.version, "number": "8", "issued_on": "10/07/2018"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.number) == (SignoffStatus.ISSUED, "8")
    response = client.post(
        reverse("reports:send", args=[report.pk]),
        {"expected_version": report.version, "sent_on": "20/07/2018", "sent_to": "Cục CTĐP"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SignoffStatus.SENT
    page = client.get(detail).content.decode()
    assert "20/07/2018" in page and 'id="signoff-history"' in page


def test_a_correction_is_a_new_version_that_replaces_the_old(client, demo):
    old = issued(demo)
    login(client, demo.users["canbo"])
    page = client.get(reverse("reports:detail", args=[old.pk]))
    url = page.context["correct_url"]
    preview = client.get(url)
    assert preview.status_code == 200
    assert 'id="correction-of"' in preview.content.decode()
    form = preview.context["form"]
    assert form.initial["solutions"] == "Giải pháp ban đầu"
    assert form.initial["number"] == ""
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(issued_on="15/07/2018", solutions="Giải pháp đã sửa", action="save")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    new = SavedReport.objects.exclude(pk=old.pk).latest("pk")
    assert new.corrects_id == old.pk and new.status == SignoffStatus.DRAFT
    assert new.solutions == "Giải pháp đã sửa"
    assert services.replaced_by(old) is None  # not until the correction is issued
    new = services.submit_report(user=demo.users["canbo"], report=new)
    new = services.issue_report(
        user=demo.users["lanhdao"], report=new, number="63", issued_on=D(2018, 7, 20)
    )
    assert services.replaced_by(old) == new
    old.refresh_from_db()
    assert (old.number, old.solutions) == ("57", "Giải pháp ban đầu")  # the old one unchanged
    text = client.get(reverse("reports:detail", args=[old.pk])).content.decode()
    assert 'id="replaced-by"' in text and "63" in text


def test_a_correction_cites_an_issued_report_of_the_same_scope(demo):
    draft = save(demo)
    with pytest.raises(ReportRefused):  # a draft is redone, not corrected
        services.check_correction(
            demo.users["canbo"], draft, province=demo.province, year=2018, period="H1"
        )
    old = issued(demo)
    with pytest.raises(ReportRefused):
        services.check_correction(
            demo.users["canbo"], old, province=demo.province, year=2018, period="Y"
        )
    services.check_correction(
        demo.users["canbo"], old, province=demo.province, year=2018, period="H1"
    )


# --------------------------------------------------------------------------------------------
# The national list


def _province(short_name: str) -> AdminUnit:
    return AdminUnit.objects.get(era=Era.LEGACY, level=Level.PROVINCE, short_name=short_name)


def _issued_row(author, province, *, period="H1", year=2018, sent_on=None, number="1"):
    """A row as issued (the list reads the row only; the files are not needed here)."""
    report = SavedReport.objects.create(
        province=province,
        year=year,
        period=period,
        as_of=D(year, 6, 30) if period == "H1" else D(year, 12, 31),
        issued_on=D(year, 7, 5) if period == "H1" else D(year + 1, 1, 5),
        number=number,
        title="Báo cáo",
        author=author,
        status=SignoffStatus.SENT if sent_on else SignoffStatus.ISSUED,
        sent_on=sent_on,
    )
    SignoffStep.objects.create(report=report, step="issue", to_status="issued", actor=author)
    return report


def test_the_national_list_flags_late_reports_and_scopes_provinces(client, demo):
    lang_son, ha_giang = _province("Lạng Sơn"), _province("Hà Giang")
    author = demo.users["admin"]
    on_time = _issued_row(author, demo.province, sent_on=D(2018, 7, 10), number="BK-10")
    late = _issued_row(author, lang_son, sent_on=D(2018, 8, 2), number="LS-22")
    annual = _issued_row(author, ha_giang, period="Y", sent_on=D(2019, 1, 14), number="HG-3")
    not_sent = _issued_row(author, lang_son, period="Y", number="LS-40")
    draft = save(demo)  # a draft is not in the list

    login(client, demo.users["quocgia"])
    url = reverse("reports:received")
    response = client.get(url)
    rows = {row["report"].pk: row for row in response.context["rows"]}
    assert set(rows) == {on_time.pk, late.pk, annual.pk, not_sent.pk}
    assert draft.pk not in rows
    assert rows[late.pk]["late"] and not rows[on_time.pk]["late"]
    assert not rows[annual.pk]["late"] and not rows[not_sent.pk]["late"]
    text = response.content.decode()
    assert "02/08/2018" in text and "LS-22" in text

    by_filter = client.get(url, {"year": 2018, "period": "Y"}).context["rows"]
    assert {row["report"].pk for row in by_filter} == {annual.pk, not_sent.pk}
    by_province = client.get(url, {"province": lang_son.pk}).context["rows"]
    assert {row["report"].pk for row in by_province} == {late.pk, not_sent.pk}
    for hostile in ({"year": "abc"}, {"province": "'; drop"}, {"period": "ZZ"}, {"page": "-1"}):
        assert client.get(url, hostile).status_code in (200, 404)

    # a province's leader sees its own province's reports only, whatever the filter
    leader = UserFactory(role=Role.DEPARTMENT_LEADER, province=lang_son)
    login(client, leader)
    mine = client.get(url).context["rows"]
    assert {row["report"].pk for row in mine} == {late.pk, not_sent.pk}
    forced = client.get(url, {"province": demo.province.pk}).context["rows"]
    assert demo.province.pk not in {row["report"].province_id for row in forced}
    assert client.get(reverse("reports:detail", args=[on_time.pk])).status_code == 404
    login(client, demo.users["canbo"])
    bac_kan = {row["report"].pk for row in client.get(url).context["rows"]}
    assert bac_kan == {on_time.pk}
