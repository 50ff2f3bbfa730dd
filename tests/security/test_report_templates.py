"""Report templates run in a sandbox (issue 18, item 3): an uploaded DOCX template once ran
``{{ lipsum.__globals__['os'].popen('id').read() }}`` as the server's user during the upload
check. Each payload below would touch a marker file if it ran; the check must refuse the
template with a Vietnamese message naming what it uses, run nothing and store nothing. A
template that only costs (loops, growing strings) is stopped at the limits."""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from khuyencong.reports.docx_template import TEMPLATE_PATH


def template_with(line: str) -> bytes:
    """The repository template with one more paragraph (as an administrator would add it)."""
    from docx import Document

    document = Document(str(TEMPLATE_PATH))
    document.paragraphs[2].insert_paragraph_before(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def problem_of(content: bytes) -> str | None:
    from khuyencong.reports.templates_check import template_problem

    with translation.override("vi"):
        return template_problem(SimpleUploadedFile("mau.docx", content))


def payloads(marker) -> list[tuple[str, str]]:
    """(template line, what the refusal names): the review's payload and its variants."""
    touch = f"popen('touch {marker}')"
    return [
        (f"{{{{ lipsum.__globals__['os'].{touch}.read() }}}}", "lời gọi hàm"),
        (f"{{{{ lipsum.__globals__.os.{touch} }}}}", "lời gọi hàm"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "lời gọi hàm"),
        ("{{ ''.__class__.__mro__ }}", "tên nội bộ “__mro__”"),
        (f"{{{{ cycler.__init__.__globals__.os.{touch} }}}}", "lời gọi hàm"),
        ("{{ cycler.__init__.__globals__ }}", "tên nội bộ “__globals__”"),
        ("{{ self._TemplateReference__context }}", "tên nội bộ “_TemplateReference__context”"),
        ("{{ doc['__class__'] }}", "tên nội bộ “__class__”"),
        ("{{ doc|attr('__class__')|attr('__mro__') }}", "bộ lọc “attr”"),
        (
            "{{ (lipsum|attr('__globals__'))['os']|attr('system') }}",
            "bộ lọc “attr”",
        ),
        ("{% for i in range(5000) %}{% for j in range(5000) %}x{% endfor %}{% endfor %}", "gọi"),
        ("{{ 'x' * 30000000 }}", "phép toán “*”"),
        ("{{ '%30000000s' % doc.title }}", "phép toán “%”"),
        ("{% set ns = namespace(x='') %}{{ ns.x }}", "lệnh {% set %}"),
        ("{% autoescape false %}{{ doc.title }}{% endautoescape %}", "lệnh {% autoescape %}"),
        ("{% macro m() %}{{ caller() }}{% endmacro %}", "lệnh {% macro %}"),
    ]


@pytest.mark.parametrize("index", range(16))
def test_an_uploaded_template_cannot_run_code_or_reach_internals(tmp_path, index):
    marker = tmp_path / "ran"
    line, named = payloads(marker)[index]
    problem = problem_of(template_with(line))
    assert not marker.exists()  # nothing ran
    assert problem is not None and problem.startswith("Mẫu bị từ chối vì lý do an toàn: ")
    assert named in problem, problem


def test_a_template_looping_without_end_is_stopped():
    """Nested loops over the report's own values: ~100^4 turns, stopped at the limit."""
    loops = "".join(f"{{% for c{i} in doc.full_title %}}" for i in range(4))
    line = loops + "{{ c0 }}" + "{% endfor %}" * 4
    problem = problem_of(template_with(line))
    assert problem is not None and "Mẫu lặp quá nhiều lần" in problem, problem


def test_a_template_doubling_a_string_is_stopped():
    """``{% for x in [x ~ x ~ x ~ x] %}`` nested: the text would reach gigabytes."""
    levels = 12
    line = "{% for x0 in [doc.full_title] %}"
    for i in range(1, levels):
        line += f"{{% for x{i} in [x{i - 1} ~ x{i - 1} ~ x{i - 1} ~ x{i - 1}] %}}"
    line += f"{{{{ x{levels - 1}|length }}}}" + "{% endfor %}" * levels
    problem = problem_of(template_with(line))
    assert problem is not None and "quá nhiều văn bản" in problem, problem


def test_a_template_joining_copies_is_stopped():
    line = "{% for a in [doc.full_title] %}"
    names = "abcdefghij"
    for previous, name in itertools.pairwise(names):
        line += f"{{% for {name} in [[{', '.join([previous] * 10)}]|join] %}}"
    line += "{{ j|length }}" + "{% endfor %}" * len(names)
    problem = problem_of(template_with(line))
    assert problem is not None and "quá nhiều văn bản" in problem, problem


def test_an_ordinary_edit_with_filters_is_accepted():
    line = "{{ doc.authority_name|lower|capitalize }} — {{ doc.title ~ '.' }} {{ 1 + 1 }}"
    assert problem_of(template_with(line)) is None


def test_the_built_in_templates_render_the_same_as_with_plain_jinja():
    """The sandbox changes nothing for the system's own templates (report and decision)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from khuyencong.documents.docx import _docx_jinja_environment
    from khuyencong.reports import render
    from khuyencong.reports.samples import seed_report_2018

    context = {"doc": {**render.document_context(seed_report_2018()), "charts": []}}

    def rendered(environment) -> bytes:
        document = DocxTemplate(str(TEMPLATE_PATH))
        document.render(context, jinja_env=environment, autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
        return zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("word/document.xml")

    sandboxed = rendered(_docx_jinja_environment())
    assert sandboxed == rendered(Environment(autoescape=True))
    assert b"{{" not in sandboxed and "Bắc Kạn".encode() in sandboxed


@pytest.mark.django_db
def test_the_admin_upload_refuses_the_review_payload_and_stores_nothing(client, tmp_path):
    from khuyencong.accounts.models import User
    from khuyencong.reports.models import ReportTemplate

    marker = tmp_path / "ran"
    admin = User.objects.create_superuser(username="quantri", password="x-Unused-9", email="")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    line = f"{{{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}}}"
    upload = SimpleUploadedFile("mau.docx", template_with(line), "application/octet-stream")
    response = client.post(
        reverse("admin:reports_reporttemplate_add"),
        {"file": upload, "notes": "thử"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "Mẫu bị từ chối vì lý do an toàn" in response.content.decode()
    assert not marker.exists()
    assert not ReportTemplate.objects.exists()
