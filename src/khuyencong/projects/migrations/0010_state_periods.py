"""Each project's state on every date (``StatePeriod``), written from the rules in Python,
replaces the current-state cache and the SQL replay of the log. The rows of every existing
project are written by ``projects.states.write_states`` (the services' and the benchmark's
writer) on the historical models, a chunk of projects at a time; the cache it replaces held
nothing that is not in the log."""

import django.db.models.deletion
from django.db import migrations, models


def fill_states(apps, schema_editor):
    from khuyencong.projects.states import write_states

    project = apps.get_model("projects", "Project")
    write_states(
        project.objects.filter(events__isnull=False).values_list("pk", flat=True).distinct(),
        models=(
            project,
            apps.get_model("projects", "ProjectEvent"),
            apps.get_model("projects", "ProgressUpdate"),
            apps.get_model("projects", "StatePeriod"),
        ),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0009_drop_history_h5'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatePeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField()),
                ('valid_to', models.DateField(null=True)),
                ('status', models.CharField(choices=[('registered', 'Registered'), ('appraised', 'Appraised'), ('approved', 'Approved'), ('assigned', 'Assigned'), ('contracted', 'Contract signed'), ('in_progress', 'In progress'), ('accepted', 'Accepted'), ('settled', 'Settled'), ('adjustment_requested', 'Adjustment requested'), ('stop_requested', 'Stop requested'), ('stopped', 'Stopped')], max_length=24)),
                ('under_review', models.BooleanField(default=False)),
                ('phase', models.CharField(max_length=24)),
                ('progress', models.PositiveSmallIntegerField(default=0)),
                ('disbursed', models.BigIntegerField(default=0)),
                ('advanced', models.BigIntegerField(default=0)),
                ('accepted', models.BigIntegerField(null=True)),
                ('settled', models.BigIntegerField(null=True)),
                ('retained', models.BigIntegerField(null=True)),
                ('budget_national', models.BigIntegerField(default=0)),
                ('budget_local', models.BigIntegerField(default=0)),
                ('budget_counterpart', models.BigIntegerField(default=0)),
                ('budget_other', models.BigIntegerField(default=0)),
                ('plan_budget', models.BigIntegerField(default=0)),
                ('allocated', models.BigIntegerField(default=0)),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='states', to='projects.project')),
            ],
            options={
                'verbose_name': 'state of a project over a period',
                'verbose_name_plural': 'states of projects over periods',
            },
        ),
        migrations.DeleteModel(
            name='CurrentState',
        ),
        migrations.AddConstraint(
            model_name='stateperiod',
            constraint=models.UniqueConstraint(fields=('project', 'valid_from'), name='stateperiod_unique_start'),
        ),
        migrations.AddConstraint(
            model_name='stateperiod',
            constraint=models.UniqueConstraint(condition=models.Q(('valid_to__isnull', True)), fields=('project',), name='stateperiod_one_current'),
        ),
        migrations.RunPython(fill_states, migrations.RunPython.noop),
    ]
