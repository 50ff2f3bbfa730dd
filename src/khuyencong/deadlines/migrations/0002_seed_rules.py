from django.db import migrations


def seed(apps, schema_editor):
    from khuyencong.deadlines.seed import seed_obligation_rules

    seed_obligation_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_obligations")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
