"""The report page, for Bắc Kạn, "6 tháng đầu năm 2018", built from the DEMO DATABASE (the
projects and their events, not the hand-made fixture), states every fact of the seed's part
one. The text is extracted from the generated DOCX (python-docx) and PDF (pypdf) files the
page saved, and checked against the seed file itself (shared/seed/report-2018-bac-kan.txt,
parsed by tests/reports/seed.py), in two ways:

  * every sentence of the seed's part one, after the corrections listed in SEED_SLIPS,
    appears in the generated text (compared case-insensitively, whitespace folded);
  * the structured facts (per source: count, total, implementer, who assigned and when; per
    project: beneficiary, place and status; per status group: count and members) appear as
    the system words them.

Case-insensitive because the seed writes "Cục Công thương địa phương" and "đề án “hỗ trợ
thiết kế…”" where the system writes the agency's registered name ("Cục Công Thương địa
phương") and the project's title as recorded ("Hỗ trợ thiết kế…").
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from khuyencong.reports.models import SavedReport
from tests.reports.conftest import DEMO_ISSUED_ON, login
from tests.reports.seed import paragraphs, seed_facts, seed_text

# Slips of the seed corrected before comparing (each is a typo or a wording variant, not a
# fact): a missing word, "kinh phí là" / "bao gồm" for the system's "kinh phí" / "gồm", titles
# whose opening quote is missing or whose closing quote is misplaced.
SEED_SLIPS = {
    "triển khai thực và": "triển khai thực hiện và",
    "kinh phí là ": "kinh phí ",
    " bao gồm:": " gồm:",
    "đề án hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng”": (
        "đề án “hỗ trợ ứng dụng máy móc thiết bị trong sản xuất đồ mộc dân dụng”"
    ),
    "đề án hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat”": (
        "đề án “hỗ trợ ứng dụng máy móc thiết bị trong sản xuất gạch không nung silicat”"
    ),
    "“Tổ chức bình chọn sản phẩm CNNT tiêu biểu” tỉnh Bắc Kạn năm 2018": (
        "“Tổ chức bình chọn sản phẩm CNNT tiêu biểu tỉnh Bắc Kạn năm 2018”"
    ),
}


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def seed_part_one() -> list[str]:
    lines = paragraphs(seed_text())
    start = next(i for i, line in enumerate(lines) if line.startswith("Thứ nhất,"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Thứ hai,"))
    return lines[start:end]


def seed_sentences() -> list[str]:
    """Part one of the seed as sentences: each paragraph split at full stops; an item line
    ("– …;") is one sentence; bullets and end marks dropped."""
    sentences = []
    for line in seed_part_one():
        for slip, right in SEED_SLIPS.items():
            line = line.replace(slip, right)
        line = line.removeprefix("– ").rstrip(";.")
        sentences += [part.strip() for part in re.split(r"(?<=[.:])\s+(?=[A-ZĐ])", line)]
    return [sentence.rstrip(".") for sentence in sentences if sentence]


SENTENCES = seed_sentences()


def test_the_seed_part_one_was_read():
    assert SENTENCES[0].startswith("Thứ nhất, về tình hình thực hiện kế hoạch kinh phí")
    assert len(SENTENCES) >= 17  # 2 source paragraphs of several sentences, 3 + 4 item lines
    assert any("02/10 đề án xin dừng thực hiện gồm" in sentence for sentence in SENTENCES)


@pytest.fixture
def saved(client, demo):
    """The report saved through the report page by the centre's officer."""
    login(client, demo.users["canbo"])
    query = f"province={demo.province.pk}&year=2018&period=H1"
    page = client.get(f"{reverse('reports:preview')}?{query}")
    assert page.status_code == 200
    form = page.context["form"]
    post = {name: form[name].value() or "" for name in form.fields}
    post["issued_on"] = DEMO_ISSUED_ON.isoformat()
    post["action"] = "save"
    response = client.post(f"{reverse('reports:preview')}?{query}", post)
    assert response.status_code == 302, response.content[:500]
    report = SavedReport.objects.get()
    assert report.is_ready, report.message
    return report


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(params=["docx", "pdf"])
def generated(request, saved):
    with saved.file_for(request.param).open("rb") as handle:
        content = handle.read()
    text = docx_text(content) if request.param == "docx" else pdf_text(content)
    return fold(text)


def test_every_sentence_of_the_seed_part_one_is_in_the_generated_file(generated):
    missing = [sentence for sentence in SENTENCES if fold(sentence) not in generated]
    assert not missing, "\n".join(missing)


def test_each_structured_fact_of_the_seed_is_in_the_generated_file(generated):
    facts = seed_facts()
    for source in facts.sources:
        content = f"{source.content} " if source.content else ""
        lead = (
            f"Đối với {source.label}: Năm {source.year}, {source.implementer} được giao thực "
            f"hiện {source.count} đề án {content}từ nguồn {source.source}, kinh phí "
            f"{source.total}."
        )
        assert fold(lead) in generated
        if source.assigned_by:
            assigned = f"được {source.assigned_by} giao nhiệm vụ từ {source.assigned_month}."
            assert fold(assigned) in generated
        for project in source.projects:
            line = (
                f"Đề án “{project.title}”, đơn vị thụ hưởng là {project.beneficiary}, "
                f"{project.place} {project.status}"
            )
            assert fold(line) in generated
        for group in source.groups:
            assert fold(f"{group.count}/{group.total} đề án {group.status}") in generated
            for item in group.items:
                assert fold(f"đề án “{item.title}") in generated
                if item.place or item.beneficiary:
                    member = f"tại {item.place} (đơn vị thụ hưởng là {item.beneficiary})"
                    assert fold(member) in generated


def test_the_saved_report_froze_the_seed_totals(saved):
    sections = {section["source_code"]: section for section in saved.snapshot["sections"]}
    assert sum(p["budget"] for p in sections["national"]["projects"]) == 600_000_000
    assert sum(p["budget"] for p in sections["local"]["projects"]) == 529_000_000
    assert saved.as_of.isoformat() == "2018-06-30"
    assert saved.author.username == "canbo"


def test_the_generated_file_cites_the_demo_plans_decisions(generated):
    # issue 19: each source cites the decision approving its plan (the demo's decision
    # numbers and dates are invented: the seed gives none)
    from khuyencong.demo.projects import PLANS
    from khuyencong.documents import wording

    for spec in PLANS.values():
        citation = (
            f"Căn cứ: Quyết định số {spec.decision_number} ngày "
            f"{wording.date_short(spec.decision_date)} của {spec.authority} phê duyệt kế hoạch "
            "năm 2018."
        )
        assert fold(citation) in generated
