"""PostgreSQL estimates "plans covering a year" from real pairs (year, end_year): without the
statistics of migration plans/0006 it multiplies the two conditions as if independent, over-
estimates every year-filtered list and dashboard and picks parallel plans several times slower
at national size (docs/performance.md, session 10)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from khuyencong.places.models import AdminUnit
from khuyencong.plans.models import Plan
from tests.projects.factories import source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics"),
]


def estimated_rows(sql: str, params: list) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]  # psycopg decodes the JSON
        return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def test_plans_covering_a_year_are_estimated_from_their_real_periods():
    provinces = list(AdminUnit.objects.provinces()[:40])
    funding = source("local")
    years = range(2012, 2027)  # fifteen years of one-year plans, as most provinces have
    Plan.objects.bulk_create(
        Plan(province=unit, year=year, end_year=year, funding_source=funding, title=f"KH {year}")
        for unit in provinces
        for year in years
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plans_plan")
    sql, params = Plan.objects.for_year(2020).values("id").query.sql_with_params()
    actual = Plan.objects.for_year(2020).count()
    assert actual == len(provinces)
    # independent conditions would give ~ 40 x 15 x 0.6 x 0.47 = 170 rows
    assert estimated_rows(sql, list(params)) <= 2 * actual
