"""National reports in the background with visible progress; DOCX template versions uploaded
by a system administrator; the `report` command."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from khuyencong.reports import services
from khuyencong.reports.docx_template import TEMPLATE_PATH
from khuyencong.reports.edits import ReportEdits
from khuyencong.reports.models import ReportState, ReportTemplate, SavedReport
from tests.reports.conftest import DEMO_ISSUED_ON, login

H1_END = datetime.date(2018, 6, 30)


def national(demo, **kwargs) -> SavedReport:
    return services.save_report(
        user=demo.users["quocgia"],
        province=None,
        year=2018,
        period="H1",
        as_of=H1_END,
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
        **kwargs,
    )


def test_a_national_report_runs_as_a_task_and_the_page_shows_its_progress(
    client, demo, django_capture_on_commit_callbacks
):
    login(client, demo.users["quocgia"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = national(demo)
    assert report.state == ReportState.QUEUED and len(callbacks) == 1
    status = client.get(reverse("reports:status", args=[report.pk]), HTTP_HX_REQUEST="true")
    body = status.content.decode()
    assert 'hx-trigger="every 2s"' in body and "Báo cáo đang được tạo" in body
    assert "HX-Refresh" not in status

    ticks = []
    original = services._set_progress
    services._set_progress = lambda pk, percent, state=ReportState.RUNNING: (
        ticks.append(percent),
        original(pk, percent, state),
    )
    try:
        callbacks[0]()  # the worker picks the task up (immediate backend in the tests)
    finally:
        services._set_progress = original
    report.refresh_from_db()
    assert report.state == ReportState.READY and report.progress == 100
    assert ticks == sorted(ticks) and 50 <= max(ticks) < 100
    assert len(report.snapshot["sections"][0]["projects"]) == 3
    done = client.get(reverse("reports:status", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 2s" not in done.content.decode()


def test_a_failed_generation_says_so_and_keeps_the_row(demo, monkeypatch):
    def broken(data):
        raise RuntimeError("WeasyPrint không chạy")

    monkeypatch.setattr(services.render, "render_pdf", broken)
    report = national(demo, background=False)
    assert report.state == ReportState.FAILED
    assert "Không tạo được báo cáo: WeasyPrint không chạy" in report.message
    assert not report.docx_file


def docx_upload(content: bytes, name: str = "mau.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def edited_template() -> bytes:
    """The repository template with one more line under the title (as an admin would edit it)."""
    from docx import Document

    document = Document(str(TEMPLATE_PATH))
    document.paragraphs[2].insert_paragraph_before("MẪU ĐÃ SỬA BỞI QUẢN TRỊ")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def broken_template() -> bytes:
    from docx import Document

    document = Document(str(TEMPLATE_PATH))
    document.add_paragraph("{{ doc.title ")  # an unclosed tag
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_admin_uploads_a_template_version_used_by_the_next_reports(client, demo, settings):
    admin = demo.users["admin"]
    login(client, admin)
    add = reverse("admin:reports_reporttemplate_add")
    refused = client.post(add, {"file": docx_upload(broken_template()), "notes": "hỏng"})
    assert refused.status_code == 200
    assert "Mẫu này không tạo được báo cáo" in refused.content.decode()
    not_docx = client.post(add, {"file": docx_upload(b"%PDF-1.4 x", "mau.pdf"), "notes": ""})
    assert "Mẫu phải là tệp Word (.docx)." in not_docx.content.decode()
    assert not ReportTemplate.objects.exists()

    old = services.save_report(
        user=demo.users["canbo"],
        province=demo.province,
        year=2018,
        period="H1",
        as_of=H1_END,
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
    )
    old_docx = old.docx_file.open("rb").read()
    response = client.post(add, {"file": docx_upload(edited_template()), "notes": "Thêm dòng"})
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert (template.version, template.uploaded_by) == (1, admin)
    new = services.save_report(
        user=demo.users["canbo"],
        province=demo.province,
        year=2018,
        period="H1",
        as_of=H1_END,
        edits=ReportEdits(issued_on=DEMO_ISSUED_ON),
    )
    assert new.template == template
    from docx import Document

    texts = [p.text for p in Document(new.docx_file.open("rb")).paragraphs]
    assert "MẪU ĐÃ SỬA BỞI QUẢN TRỊ" in texts
    assert old.docx_file.open("rb").read() == old_docx  # the earlier report keeps its file
    # the template in use can be downloaded to edit it; archiving falls back to the default
    download = client.get(reverse("reports:template"))
    assert b"".join(download.streaming_content) == template.file.open("rb").read()
    template.archive()
    assert ReportTemplate.current() is None
    default = b"".join(client.get(reverse("reports:template")).streaming_content)
    assert default == TEMPLATE_PATH.read_bytes()


def test_only_system_administrators_manage_templates(client, demo):
    login(client, demo.users["lanhdao"])
    assert client.get(reverse("reports:template")).status_code == 403


def test_report_command_writes_each_format(demo, tmp_path):
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        output = tmp_path / f"bc.{fmt}"
        out = StringIO()
        call_command(
            "report",
            "--province",
            "Bắc Kạn",
            "--year",
            "2018",
            "--period",
            "H1",
            "--format",
            fmt,
            "-o",
            str(output),
            stdout=out,
        )
        assert output.read_bytes().startswith(magic)
        assert "13 đề án, tỉnh Bắc Kạn, 6 tháng đầu năm 2018" in out.getvalue()


def test_report_command_national_and_to_a_date(demo, tmp_path):
    output = tmp_path / "n.xlsx"
    out = StringIO()
    call_command(
        "report",
        "--national",
        "--year=2018",
        "--period=D",
        "--as-of=2018-08-15",
        "--format=xlsx",
        f"-o={output}",
        stdout=out,
    )
    assert "cả nước, năm 2018 (đến ngày 15/8/2018)" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--province", "Không Có"], "Không có tỉnh nào tên Không Có."),
        (["--province", "Bắc Kạn", "--as-of", "15/8/2018"], "Ngày viết theo dạng NNNN-TT-NN"),
        (["--province", "Bắc Kạn", "--user", "ai-do"], "Không có người dùng nào tên ai-do."),
        (["--province", "Bắc Kạn", "--user", "huyen"], "không được phép"),
    ],
)
def test_report_command_refuses_bad_input_clearly(demo, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "report",
            *arguments,
            "--year=2018",
            "--period=H1",
            "--format=pdf",
            f"-o={tmp_path / 'x.pdf'}",
        )
    assert not (tmp_path / "x.pdf").exists()
