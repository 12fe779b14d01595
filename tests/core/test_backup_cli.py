"""`retning backup` and `retning restore` as an operator runs them: a site set up with
`retning setup` and an imported e-mail, backed up, restored into a new data directory with
a new SQLite database (or, when the suite runs on PostgreSQL, into a new PostgreSQL
database): the same proposals export and the same goal status."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.consultation.conftest import synthetic_mail
from tests.consultation.synthetic_files import synthetic_odt
from tests.processes import clean_environment
from tests.processes import run_retning as retning


def site(data_dir: Path, database_url: str = "") -> dict:
    return clean_environment(data_dir, database_url)


def exports(env: dict) -> tuple[str, str]:
    proposals = retning(
        "submissions", "export", "--round", "2024", "--format", "csv",
        "--include-personal-data", env=env,
    )  # fmt: skip
    assert proposals.returncode == 0, proposals.stderr
    status = retning("status", "--format", "json", env=env)
    assert status.returncode == 0, status.stderr
    return proposals.stdout, status.stdout


@pytest.fixture
def postgres_database():
    """A new, empty PostgreSQL database beside the suite's, when the suite runs on one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    name = f"retning_restore_{uuid.uuid4().hex[:8]}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_new_site(tmp_path, postgres_database):
    first = site(tmp_path / "first")
    assert retning("setup", env=first).returncode == 0
    mail = tmp_path / "innspill.eml"
    mail.write_bytes(
        synthetic_mail(
            attachments=[
                ("innspill.odt", "application/vnd.oasis.opendocument.text", synthetic_odt())
            ]
        )
    )
    imported = retning("import-mail", "--round", "2024", str(mail), env=first)
    assert imported.returncode == 0 and "registered: 1" in imported.stdout, imported.stderr
    before = exports(first)
    assert "Kari Nordmann" in before[0]

    archive = tmp_path / "retning.tar.gz"
    made = retning("backup", "-o", str(archive), env=first)
    assert made.returncode == 0, made.stderr

    # SQLite → SQLite when the suite runs on SQLite, SQLite → PostgreSQL when it runs on
    # PostgreSQL (CI runs both)
    target = site(tmp_path / "second", postgres_database or "")
    restored = retning("restore", str(archive), env=target)
    assert restored.returncode == 0, restored.stderr
    assert exports(target) == before
    assert (Path(target["RETNING_DATA_DIR"]) / "secret_key").read_text() == (
        tmp_path / "first" / "secret_key"
    ).read_text()
    again = retning("restore", str(archive), env=target)
    assert again.returncode == 2 and "the database is not empty" in again.stderr

    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[:1000])
    refused = retning("restore", str(broken), env=site(tmp_path / "third"))
    assert refused.returncode == 2
    assert f"{broken}: broken or not a Retning backup" in refused.stderr
