from django.db import migrations


def seed(apps, schema_editor):
    from khuyencong.contests.seed import seed_contest_rules

    seed_contest_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("contests", "0001_initial"), ("catalog", "0003_seed_catalogs")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
