"""One-file backup and restore: the database, the data directory's files, the secret key.

The archive is a gzip'd tar file:

- `manifest.json`: format, Retning and Django versions, when, from which database, the
  migrations it was taken at, row counts per model and the SHA-256 of every other member;
- `database.jsonl`: every row of every model but content types and permissions, one JSON
  object a line, written with Django's serializers (so it loads into SQLite and PostgreSQL
  alike; content types and permissions are recreated by `migrate`, and rows point to them
  by natural key, so their ids never clash). Datetimes are written with all their
  microseconds (Django's JSON encoder keeps only milliseconds);
- `files/…`: everything in the data directory (RETNING_DATA_DIR: raw responses, uploads,
  sent mail, the secret key) except the SQLite database itself and collected static files.

A restore checks the whole archive first (every checksum), migrates, refuses a database
that already holds data (unless forced), then loads everything in one transaction and
writes the files. Nothing is changed when the archive is broken.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "retning-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database.jsonl"
FILES = "files/"
# Recreated by `migrate` on the target; everything else refers to them by natural key.
NOT_DUMPED = {"contenttypes.contenttype", "auth.permission"}
# Rows `migrate` itself creates: their presence does not make a database "not empty".
SEEDED = NOT_DUMPED | {"auth.group"}
CHUNK = 1000


class BackupError(Exception):
    """The archive cannot be restored (broken, or not a Retning backup), or the target
    is not fit to restore into; the message says which and why."""


class _ExactEncoder(json.JSONEncoder):
    """Like DjangoJSONEncoder, but datetimes and times keep their microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, dt.timedelta):
            return o.total_seconds()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, bytes | memoryview):
            raise TypeError("binary values are serialised by their field")
        return super().default(o)


def _label(model) -> str:
    return model._meta.label_lower


def dumped_models() -> list:
    """Every concrete model whose rows are backed up, in an order that loads."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.managed
        and not m._meta.proxy
        and not m._meta.auto_created
        and _label(m) not in NOT_DUMPED
    ]


def _data_files(data_dir: Path, exclude: set[Path]) -> list[Path]:
    """The data directory's files to keep: all but the SQLite database and static files."""
    skipped_dirs = {Path(settings.STATIC_ROOT).resolve()}
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(database["NAME"]).resolve() if str(database["NAME"]) else None
        if name:
            exclude = exclude | {Path(f"{name}{suffix}") for suffix in ("", "-wal", "-shm")}
    found = []
    for root, dirs, files in os.walk(data_dir):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if (root_path / d).resolve() not in skipped_dirs)
        for name in sorted(files):
            path = root_path / name
            if path.resolve() not in exclude and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _dump_database(handle, using: str) -> dict[str, int]:
    counts = {}
    for model in dumped_models():
        queryset = model._default_manager.using(using).order_by("pk")
        count = 0
        chunk = []
        for obj in queryset.iterator(chunk_size=CHUNK):
            chunk.append(obj)
            if len(chunk) >= CHUNK:
                count += _write_chunk(handle, chunk)
                chunk = []
        count += _write_chunk(handle, chunk)
        counts[_label(model)] = count
    return counts


def _write_chunk(handle, objects: list) -> int:
    if not objects:
        return 0
    for row in serializers.serialize("python", objects, use_natural_foreign_keys=True):
        handle.write(json.dumps(row, cls=_ExactEncoder, ensure_ascii=False).encode() + b"\n")
    return len(objects)


@dataclass
class BackupSummary:
    path: Path
    rows: int
    files: int
    bytes: int


def backup(output: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the archive to `output` (atomically: a temporary file renamed at the end)."""
    output = Path(output).resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".retning-backup-") as tmp:
        dump = Path(tmp) / DATABASE
        # One consistent view of the database while it is read.
        with transaction.atomic(using=using), dump.open("wb") as handle:
            counts = _dump_database(handle, using)
            migrations = _applied_migrations(using)
        files = _data_files(data_dir, exclude={output, dump.resolve()})
        members = {DATABASE: _sha256_file(dump)}
        for path in files:
            members[FILES + path.relative_to(data_dir).as_posix()] = _sha256_file(path)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "retning": _version("retning"),
            "django": _version("django"),
            "database_vendor": connections[using].vendor,
            "migrations": migrations,
            "rows": counts,
            "members": members,
            # What else restoring needs: these come from the environment, not the archive.
            "settings": {
                "RETNING_REGION": settings.RETNING_REGION,
                "secret_key_in_archive": "files/secret_key" in members,
                "secret_key_from_environment": bool(os.environ.get("RETNING_SECRET_KEY")),
                "TIME_ZONE": settings.TIME_ZONE,
            },
        }
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=DATABASE, recursive=False)
            for path in files:
                archive.add(path, arcname=FILES + path.relative_to(data_dir).as_posix())
        os.replace(partial, output)
        os.chmod(output, 0o600)  # personal data and the secret key are inside
    return BackupSummary(output, sum(counts.values()), len(files), output.stat().st_size)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


# --- restore ---------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    """The manifest, after checking every member against its checksum (BackupError)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with tarfile.open(path, "r:gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST:
                raise BackupError(f"{path}: not a Retning backup (no {MANIFEST} at its start)")
            manifest = json.loads(archive.extractfile(first).read())
            if manifest.get("format") != FORMAT:
                raise BackupError(
                    f"{path}: unknown backup format {manifest.get('format')!r} "
                    f"(this Retning reads {FORMAT})"
                )
            expected = dict(manifest["members"])
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected:
                    raise BackupError(f"{path}: unexpected member {member.name!r}")
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"{path}: member {member.name!r} is not a plain file")
                digest = hashlib.sha256()
                handle = archive.extractfile(member)
                for block in iter(lambda h=handle: h.read(1 << 20), b""):
                    digest.update(block)
                if digest.hexdigest() != expected.pop(member.name):
                    raise BackupError(f"{path}: {member.name} is damaged (checksum differs)")
            if expected:
                missing = ", ".join(sorted(expected))
                raise BackupError(f"{path}: missing from the archive: {missing}")
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path}: broken or not a Retning backup ({exc})") from None
    return manifest


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return not Path(name).is_absolute() and ".." not in parts


def content_rows(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per model in the target database, leaving out what `migrate` creates itself."""
    counts = {}
    for model in dumped_models():
        if _label(model) in SEEDED:
            continue
        count = model._default_manager.using(using).count()
        if count:
            counts[_label(model)] = count
    return counts


def existing_files(data_dir: Path) -> list[Path]:
    """Files in the data directory a restore would replace or leave beside its own."""
    return [
        p
        for p in _data_files(Path(data_dir).resolve(), exclude=set())
        if p.resolve() != (Path(data_dir).resolve() / "secret_key")
    ]


def restore(
    path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS, manifest: dict | None = None
) -> dict:
    """Load an archive into the (migrated) database and the data directory. `manifest`:
    the archive's, when it has been checked already (`read_manifest`)."""
    path = Path(path)
    manifest = read_manifest(path) if manifest is None else manifest
    applied = _applied_migrations(using)
    if manifest["migrations"] != applied:
        theirs, ours = (
            {tuple(m) for m in manifest["migrations"]},
            {tuple(m) for m in applied},
        )
        only_theirs = sorted(theirs - ours)[:5]
        only_ours = sorted(ours - theirs)[:5]
        raise BackupError(
            f"{path}: taken at other migrations than this database has "
            f"(only in the backup: {only_theirs or 'none'}; only here: {only_ours or 'none'}); "
            "restore with the Retning version that made it, then upgrade"
        )
    data_dir = Path(settings.DATA_DIR).resolve()
    if not force:
        rows = content_rows(using)
        if rows:
            listed = ", ".join(f"{label} ({n})" for label, n in sorted(rows.items())[:5])
            raise BackupError(
                f"the database is not empty: {sum(rows.values())} rows, e.g. {listed}; "
                "restore into a new database, or give --force to replace everything in it"
            )
        files = existing_files(data_dir)
        if files:
            raise BackupError(
                f"the data directory {data_dir} already holds {len(files)} files, e.g. "
                f"{files[0]}; use a new RETNING_DATA_DIR, or give --force"
            )
    with tarfile.open(path, "r:gz") as archive:
        database = archive.extractfile(archive.getmember(DATABASE))
        loaded = _load_database(database, using)
        for member in archive.getmembers():
            if member.name.startswith(FILES):
                target = data_dir / member.name[len(FILES) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as handle:
                    for block in iter(lambda s=source: s.read(1 << 20), b""):
                        handle.write(block)
                if target.name == "secret_key":
                    target.chmod(0o600)
    return {"rows": loaded, "files": sum(m.startswith(FILES) for m in manifest["members"])}


def _rows(handle) -> Iterator[dict]:
    for line in handle:
        if line.strip():
            yield json.loads(line)


def _load_database(handle, using: str) -> int:
    connection = connections[using]
    models = dumped_models()
    tables = _tables_of(models)
    count = 0
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=False):
                cursor.execute(sql)
        with connection.constraint_checks_disabled():
            deferred = []
            for obj in serializers.deserialize(
                "python", _rows(handle), using=using, handle_forward_references=True
            ):
                obj.save(using=using)
                if obj.deferred_fields:
                    deferred.append(obj)
                count += 1
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connection.check_constraints(table_names=tables)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return count


def _tables_of(models: list) -> list[str]:
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables += [
            f.remote_field.through._meta.db_table
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
    return tables
