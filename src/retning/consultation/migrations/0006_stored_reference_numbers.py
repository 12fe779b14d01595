"""Reference numbers are stored, not computed from the deadline.

Until now H-YEAR-NNNN took YEAR from the round's current deadline, so moving a deadline
changed every receipt's number. Each existing proposal keeps exactly the reference it has
today, and each round with proposals keeps that year for the proposals still to come.

Two rounds whose deadlines fell in the same year gave out the same numbers; the first
round (by id) keeps them and the later round's clashing proposals get the next free
numbers of that year, as new proposals will from now on.

On SQLite, making the column NOT NULL UNIQUE rebuilds the table, which drops the triggers
that keep the full-text index (0004) in step; they are created again and the index rebuilt
(also when migrating back).
"""

from django.db import migrations, models
from django.utils import timezone

FTS_TABLE = "consultation_submission_fts"
COLUMNS = "subject, name, organisation, text, redacted_text"
TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON consultation_submission BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES "
    "(new.id, new.subject, new.name, new.organisation, new.text, new.redacted_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON consultation_submission BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS}) VALUES "
    "('delete', old.id, old.subject, old.name, old.organisation, old.text, old.redacted_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON consultation_submission BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS}) VALUES "
    "('delete', old.id, old.subject, old.name, old.organisation, old.text, old.redacted_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES "
    "(new.id, new.subject, new.name, new.organisation, new.text, new.redacted_text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]


def store_todays_references(apps, schema_editor):
    ConsultationRound = apps.get_model("consultation", "ConsultationRound")
    Submission = apps.get_model("consultation", "Submission")
    taken: dict[int, set[int]] = {}  # year → numbers given out
    rounds = ConsultationRound.objects.filter(submissions__isnull=False).distinct()
    for round in rounds.order_by("pk"):
        # The year the reference property computed until now.
        year = timezone.localtime(round.deadline).year
        round.reference_year = year
        round.save(update_fields=["reference_year"])
        numbers = taken.setdefault(year, set())
        clashing = []
        for submission in Submission.objects.filter(round=round).order_by("number"):
            if submission.number in numbers:
                clashing.append(submission)
                continue
            numbers.add(submission.number)
            submission.reference = f"H-{year}-{submission.number:04d}"
            submission.save(update_fields=["reference"])
        for submission in clashing:
            submission.number = max(numbers) + 1
            numbers.add(submission.number)
            submission.reference = f"H-{year}-{submission.number:04d}"
            submission.save(update_fields=["number", "reference"])


def recreate_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("consultation", "0005_attachment_search_index")]

    operations = [
        # Run last when migrating back, after the table's rebuilds.
        migrations.RunPython(migrations.RunPython.noop, recreate_search_triggers),
        migrations.AddField(
            model_name="consultationround",
            name="reference_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                help_text="Settes av det første innspillet; endres ikke når fristen flyttes.",
                null=True,
                verbose_name="år i referansenumrene",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, null=True, verbose_name="referansenummer"
            ),
        ),
        migrations.RunPython(store_todays_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="submission",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, unique=True, verbose_name="referansenummer"
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop),
    ]
