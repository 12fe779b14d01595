"""NAV's workbook states no licence: the "NLOD 2.0" Retning recorded for NAV's dataset and
fetches was Retning's assumption, not NAV's statement, and is cleared (the page then shows
what is known: the file's own "Kilde: NAV")."""

from django.db import migrations


def clear_assumed_licence(apps, schema_editor):
    Dataset = apps.get_model("stats", "Dataset")
    Fetch = apps.get_model("stats", "Fetch")
    Dataset.objects.filter(slug="nav-hl060", licence="NLOD 2.0").update(licence="")
    Fetch.objects.filter(dataset__slug="nav-hl060", licence="NLOD 2.0").update(licence="")


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_observation_value_in_range_and_restricted_raw")]

    operations = [migrations.RunPython(clear_assumed_licence, migrations.RunPython.noop)]
