"""`retning backup` → a fresh database and data directory → `retning restore`: the same
exports, rows and files, on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from retning.consultation import export
from retning.consultation.models import ConsultationRound, ReceivedItem, Submission
from retning.consultation_analysis import service
from retning.consultation_analysis.models import AnalysisRun
from retning.core.tasks import refresh_statistics
from tests.consultation_analysis.conftest import import_synthetic_round
from tests.stats.conftest import SNAPSHOT_DIR

pytestmark = pytest.mark.django_db(transaction=True)


def use_data_dir(settings, path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    settings.DATA_DIR = path
    settings.RETNING_RAW_DIR = path / "raw"
    settings.MEDIA_ROOT = path / "uploads"
    return path


def files_of(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def everything_exported() -> dict:
    """What users get out: the proposals' CSV export with personal data, the observations
    API, and the exact instants and bytes behind them."""
    round = ConsultationRound.objects.get(slug="2024")
    api = Client().get("/api/v1/observations.csv?limit=50000")
    assert api.status_code == 200
    return {
        "proposals.csv": export.export(round, "csv", include_personal_data=True),
        "observations.csv": api.content,
        "received": sorted(
            (i.message_id, i.received_at.isoformat(), hashlib.sha256(bytes(i.raw)).hexdigest())
            for i in ReceivedItem.objects.all()
        ),
        "analysis": sorted(
            (r.kind, r.started_at.isoformat(), r.finished_at.isoformat(), r.links)
            for r in AnalysisRun.objects.all()
        ),
        "groups": sorted(
            (g.name, sorted(g.permissions.values_list("codename", flat=True)))
            for g in Group.objects.all()
        ),
        "users": sorted(User.objects.values_list("username", "password", "date_joined")),
        "log": sorted(
            (e.content_type.app_label, e.content_type.model, e.object_id, e.action_time)
            for e in LogEntry.objects.all()
        ),
    }


@pytest.fixture
def populated(settings, tmp_path, loaded_strategy):
    data = use_data_dir(settings, tmp_path / "site-a")
    (data / "secret_key").write_text("synthetic-secret-key-for-the-backup-test")
    call_command(
        "import_data", str(SNAPSHOT_DIR / "employment_by_workplace.csv"), stdout=io.StringIO()
    )
    round = import_synthetic_round(loaded_strategy.consultation_rounds.get(slug="2024"))
    service.analyse(round)
    user = User.objects.create_user("saksbehandler", password="synthetic-password")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Submission),
        object_id=str(Submission.objects.first().pk),
        object_repr="synthetic",
        action_flag=ADDITION,
    )
    refresh_statistics.enqueue(sources=["ssb"])  # a queued task survives as well
    (data / "sent-mail").mkdir()
    (data / "sent-mail" / "synthetic-receipt.log").write_bytes("Kvittering æøå\n".encode())
    return data


def fresh_site(settings, tmp_path) -> Path:
    """An empty database (content types recreated with new ids) and data directory."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    return use_data_dir(settings, tmp_path / "site-b")


def test_backup_then_restore_into_a_fresh_site_gives_the_same_exports(
    settings, tmp_path, populated
):
    before = everything_exported()
    files_before = files_of(populated)
    assert "raw" in {name.split("/")[0] for name in files_before}
    old_types = set(ContentType.objects.values_list("pk", flat=True))
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert f"{archive}:" in out.getvalue()

    fresh = fresh_site(settings, tmp_path)
    assert not Submission.objects.exists()
    call_command("restore", str(archive), stdout=io.StringIO())

    assert not old_types & set(ContentType.objects.values_list("pk", flat=True))
    assert everything_exported() == before
    assert files_of(fresh) == files_before
    assert oct((fresh / "secret_key").stat().st_mode & 0o777) == "0o600"
    # Ids continue after the restored rows (PostgreSQL's sequences are reset).
    highest = max(Group.objects.values_list("pk", flat=True))
    assert Group.objects.create(name="synthetic new group").pk > highest


def test_restore_refuses_a_database_with_data_unless_forced(settings, tmp_path, populated):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    before = everything_exported()
    with pytest.raises(CommandError, match=r"the database is not empty: .*--force"):
        call_command("restore", str(archive), stdout=io.StringIO())
    Submission.objects.filter(pk=Submission.objects.first().pk).update(text="changed")
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert everything_exported() == before


def test_restore_refuses_a_data_directory_with_files(settings, tmp_path, populated):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    (use_data_dir(settings, tmp_path / "site-c") / "stray.txt").write_text("x")
    with pytest.raises(CommandError, match="already holds 1 files"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_broken_archive_is_refused_and_changes_nothing(settings, tmp_path, populated):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    fresh_site(settings, tmp_path)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"truncated\.tar\.gz: broken or not a Retning backup"):
        call_command("restore", str(truncated))

    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as handle:
        handle.addfile(tarfile.TarInfo("notes.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match=r"not a Retning backup \(no manifest\.json"):
        call_command("restore", str(not_a_backup))

    # One byte of the database dump changed: its checksum says so.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.jsonl":
                data = data.replace(b"Kongsvinger", b"Kongsvinger!", 1)
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match=r"database\.jsonl is damaged"):
        call_command("restore", str(tampered))

    plain = tmp_path / "plain.txt.gz"
    plain.write_bytes(gzip.compress(b"hello"))
    with pytest.raises(CommandError, match=r"plain\.txt\.gz: broken or not a Retning backup"):
        call_command("restore", str(plain))
    assert not Submission.objects.exists()
    assert not any((tmp_path / "site-b").iterdir())
