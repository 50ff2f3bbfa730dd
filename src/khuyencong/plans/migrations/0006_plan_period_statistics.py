"""PostgreSQL: statistics on the pair (year, end_year) of plans.

"Plans covering year Y" is ``year <= Y AND end_year >= Y``. Without statistics on the pair,
PostgreSQL multiplies the two conditions' selectivities as if they were independent (a quarter
of all plans instead of the few of that year), over-estimates every project list, dashboard and
export filtered by year and chooses parallel plans that are several times slower at national
size (docs/performance.md, session 10). A multi-column MCV list gives the real pairs. SQLite has
no such statistics; nothing to do there."""

from django.db import migrations

CREATE = "CREATE STATISTICS IF NOT EXISTS plans_plan_period (mcv) ON year, end_year FROM plans_plan"
DROP = "DROP STATISTICS IF EXISTS plans_plan_period"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE plans_plan")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_periods_kinds_allocations")]

    operations = [migrations.RunPython(create, drop)]
