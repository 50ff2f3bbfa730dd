from django.db import migrations


def seed(apps, schema_editor):
    from khuyencong.core.holidays import seed_public_holidays

    seed_public_holidays(apps.get_model("core", "PublicHoliday"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
