"""Full-text search index for SQLite (FTS5), kept in step by triggers.

PostgreSQL needs no table: search uses to_tsvector('norwegian', …) at query time.
"""

from django.db import migrations

FTS_TABLE = "consultation_submission_fts"
COLUMNS = "subject, name, organisation, text, redacted_text"

CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({COLUMNS}, "
    "content='consultation_submission', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
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
DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("consultation", "0003_review_permissions")]
    operations = [migrations.RunPython(forwards, backwards)]
