"""One period rule (reports.periods.check_period) for every period kind, with the same
Vietnamese message in the report form, the API and ``manage.py report``; the API's report
document carries the report's warnings and dates it at the period's end."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from khuyencong.reports.periods import PeriodRefused, check_period
from tests.api.conftest import ApiClient, token_for
from tests.reports.conftest import login

D = datetime.date

# (period, year, as_of, field at fault, message)
REFUSED = [
    ("D", 2018, None, "as_of", "Cho biết ngày báo cáo tính đến."),
    ("D", 2018, D(2019, 1, 15), "as_of", "Ngày phải thuộc năm kế hoạch."),
    ("H1", 2018, D(2020, 1, 1), "as_of", "Ngày phải thuộc năm kế hoạch hoặc năm sau đó."),
    ("Q3", 2018, D(2018, 8, 1), "as_of", "không thể trước ngày cuối kỳ báo cáo (30/9/2018)"),
    ("9M", 2018, D(2018, 6, 30), "as_of", "không thể trước ngày cuối kỳ báo cáo (30/9/2018)"),
    ("Y", 2018, D(2018, 12, 30), "as_of", "không thể trước ngày cuối kỳ báo cáo (31/12/2018)"),
    ("H2", 2018, None, "period", "Kỳ báo cáo không hợp lệ: H2."),
]
ACCEPTED = [
    ("Q1", 2018, None, D(2018, 3, 31)),
    ("Q2", 2018, None, D(2018, 6, 30)),
    ("H1", 2018, D(2018, 7, 5), D(2018, 6, 30)),  # status a few days after the period
    ("Q4", 2018, D(2019, 1, 10), D(2018, 12, 31)),  # written in January of the next year
    ("9M", 2018, None, D(2018, 9, 30)),
    ("Y", 2018, None, D(2018, 12, 31)),
    ("D", 2018, D(2018, 8, 15), D(2018, 8, 15)),
]


@pytest.mark.parametrize(("kind", "year", "as_of", "field", "message"), REFUSED)
def test_the_rule_refuses_with_the_input_at_fault(kind, year, as_of, field, message):
    with pytest.raises(PeriodRefused) as refused:
        check_period(kind, year, as_of)
    assert refused.value.field == field
    assert message in refused.value.message


@pytest.mark.parametrize(("kind", "year", "as_of", "end"), ACCEPTED)
def test_the_rule_accepts_every_period_kind(kind, year, as_of, end):
    assert check_period(kind, year, as_of).end == end


def _form_errors(client, demo, kind, year, as_of):
    params = {"province": demo.province.pk, "year": year, "period": kind}
    if as_of:
        params["as_of"] = as_of.isoformat()
    response = client.get(reverse("reports:new"), params)
    return response, response.context["form"].errors if response.status_code == 200 else {}


def test_form_api_and_command_refuse_alike(client, demo, tmp_path):
    """The same input, the same refusal and message through the three doors. (Before the
    rule, the command let a Q3 report "as of" August through, and the API had no report.)"""
    login(client, demo.users["canbo"])
    api = ApiClient(token_for(demo.users["canbo"]))
    for kind, year, as_of, field, message in REFUSED:
        if kind == "H2":
            continue  # the form and the command only offer the known kinds (choices)
        response, errors = _form_errors(client, demo, kind, year, as_of)
        assert response.status_code == 200, (kind, as_of)
        assert any(message in error for error in errors[field]), (kind, errors)

        params = {"province": demo.province.pk, "year": year, "period": kind}
        if as_of:
            params["as_of"] = as_of.isoformat()
        answer = api.get("/reports/document", **params)
        assert answer.status_code == 400, (kind, answer.content)
        detail = answer.json()["detail"][0]
        assert detail["loc"] == ["query", field] and message in detail["msg"]

        arguments = ["--province=Bắc Kạn", f"--year={year}", f"--period={kind}"]
        if as_of:
            arguments.append(f"--as-of={as_of.isoformat()}")
        output = tmp_path / "x.pdf"
        with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
            call_command("report", *arguments, "--format=pdf", f"-o={output}", stdout=io.StringIO())
        assert not output.exists()
    answer = api.get("/reports/document", province=demo.province.pk, year=2018, period="H2")
    assert answer.status_code == 400
    assert answer.json()["detail"][0]["msg"] == "Kỳ báo cáo không hợp lệ: H2."


def test_the_api_states_the_report_with_its_annex_and_dates_it_at_the_period_end(demo):
    api = ApiClient(token_for(demo.users["canbo"]))
    answer = api.get("/reports/document", province=demo.province.pk, year=2018, period="H1")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["issued_on"] == "2018-06-30" and body["as_of"] == "2018-06-30"
    assert body["period_label"] == "6 tháng đầu năm 2018"
    assert isinstance(body["warnings"], list)
    assert [s["project_count"] for s in body["sections"]] == [3, 10]
    assert [s["total_budget"] for s in body["sections"]] == [600_000_000, 529_000_000]
    assert len(body["annex"]) == 13
    totals = body["annex_totals"]
    assert totals["count"] == 13
    assert totals["budget_national"] == sum(row["budget_national"] or 0 for row in body["annex"])
    assert totals["budget_national"] == 600_000_000
    assert totals["budget_local"] == 529_000_000
    assert any("600 triệu đồng" in paragraph for paragraph in body["paragraphs"])
    dated = api.get(
        "/reports/document",
        province=demo.province.pk,
        year=2018,
        period="H1",
        issued_on="2018-07-05",
    ).json()
    assert dated["issued_on"] == "2018-07-05"


def test_the_api_keeps_to_the_users_scope(demo):
    from khuyencong.places.models import AdminUnit

    other = AdminUnit.objects.provinces().exclude(pk=demo.province.pk).first()
    api = ApiClient(token_for(demo.users["canbo"]))
    answer = api.get("/reports/document", province=other.pk, year=2018, period="H1")
    assert answer.status_code == 403
