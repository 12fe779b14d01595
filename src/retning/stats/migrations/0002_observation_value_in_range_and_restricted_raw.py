# Observations hold only finite values within the column (|value| < 10^14), and the raw
# bytes of a licensed file are kept from the public.

from django.db import migrations, models

LIMIT = 10**14  # retning.core.bounds.OBSERVATION_LIMIT when this migration was written


def clear_values_out_of_range(apps, schema_editor):
    """Values stored before the constraint that it would refuse (NaN, 1e30) become
    missing, with the reason, so the constraint can be added and pages can read the rest."""
    Observation = apps.get_model("stats", "Observation")
    Observation.objects.filter(models.Q(value__gte=LIMIT) | models.Q(value__lte=-LIMIT)).update(
        value=None, missing_reason="value out of range, removed when the limit was introduced"
    )


def restrict_licensed_imports(apps, schema_editor):
    """Accounts histories imported by hand are licensed files, not open data."""
    Fetch = apps.get_model("stats", "Fetch")
    Fetch.objects.filter(dataset__slug="brreg-regnskap", via="import").update(
        raw_restricted=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ('stats', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='fetch',
            name='raw_restricted',
            field=models.BooleanField(default=False, verbose_name='rådata bare for sekretariatet'),
        ),
        migrations.RunPython(restrict_licensed_imports, migrations.RunPython.noop),
        migrations.RunPython(clear_values_out_of_range, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='observation',
            constraint=models.CheckConstraint(condition=models.Q(('value__isnull', True), models.Q(('value__gt', -100000000000000), ('value__lt', 100000000000000)), _connector='OR'), name='observation_value_in_range'),
        ),
    ]
