# Operating revenue and numbers of employees hold only finite values within sane bounds.

from django.db import migrations, models

REVENUE_LIMIT = 10**14  # retning.core.bounds.REVENUE_LIMIT when this migration was written
EMPLOYEES_LIMIT = 1_000_000  # retning.core.bounds.EMPLOYEES_LIMIT


def clear_values_out_of_range(apps, schema_editor):
    """Values stored before the constraints that they would refuse become unknown (the raw
    file of each fetch is kept), so the constraints can be added and the goal pages read."""
    AnnualAccounts = apps.get_model("business", "AnnualAccounts")
    AnnualAccounts.objects.filter(
        models.Q(operating_revenue__gte=REVENUE_LIMIT)
        | models.Q(operating_revenue__lte=-REVENUE_LIMIT)
    ).update(operating_revenue=None)
    for name in ("RegisterUnit", "UnitYear"):
        apps.get_model("business", name).objects.filter(
            models.Q(employees__gt=EMPLOYEES_LIMIT) | models.Q(employees__lt=0)
        ).update(employees=None)


class Migration(migrations.Migration):

    dependencies = [
        ('business', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(clear_values_out_of_range, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='annualaccounts',
            constraint=models.CheckConstraint(condition=models.Q(('operating_revenue__isnull', True), models.Q(('operating_revenue__gt', -100000000000000), ('operating_revenue__lt', 100000000000000)), _connector='OR'), name='accounts_revenue_in_range'),
        ),
        migrations.AddConstraint(
            model_name='registerunit',
            constraint=models.CheckConstraint(condition=models.Q(('employees__isnull', True), models.Q(('employees__gte', 0), ('employees__lte', 1000000)), _connector='OR'), name='unit_employees_in_range'),
        ),
        migrations.AddConstraint(
            model_name='unityear',
            constraint=models.CheckConstraint(condition=models.Q(('employees__isnull', True), models.Q(('employees__gte', 0), ('employees__lte', 1000000)), _connector='OR'), name='unityear_employees_in_range'),
        ),
    ]
