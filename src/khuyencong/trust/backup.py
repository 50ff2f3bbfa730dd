"""Backup and restore of a whole instance: every table and every uploaded file in one
``.tar.gz``, restorable into an empty instance of the same version (SQLite or PostgreSQL,
either way round).

The archive holds ``manifest.json`` (format, migrations applied, per table: columns, row count
and SHA-256 of its data; per file: size and SHA-256), ``data/<app.Model>.jsonl`` (one row per
line, columns in the order of the manifest, ordered by primary key) and ``media/<name>``.
Content types and permissions, which ``migrate`` creates with ids of its own, are written by
natural key and mapped back on restore. Restoring inserts the rows as stored (no save(), no
signals: no new history or audit rows), resets the id sequences, checks every count and
checksum against the manifest, and commits only if all agree.

For production PostgreSQL see README.md ("Backups"): pg_dump / base backups with WAL archiving
remain the tools for point-in-time recovery; this archive is the portable, verified copy.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from khuyencong.trust.chain import erasable

FORMAT = 1
BATCH = 1000
# Made by ``migrate`` in every database (mapped by natural key), or transient.
SKIPPED = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class Table:
    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def fields(self) -> list[models.Field]:
        return list(self.model._meta.concrete_fields)

    @property
    def columns(self) -> list[str]:
        return [field.attname for field in self.fields]


def tables() -> list[Table]:
    """Every table to copy (auto-created many-to-many tables included)."""
    return [
        Table(model)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label not in SKIPPED
        and model._meta.db_table
    ]


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# ----------------------------------------------------------------------- values <-> JSON


class _Keys:
    """Content types and permissions by natural key (their ids differ between databases)."""

    def __init__(self) -> None:
        self._types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
        self._perms = {
            p.pk: [p.codename, *self._types[p.content_type_id]] for p in Permission.objects.all()
        }
        self._type_ids: dict[tuple[str, str], int] = {}
        self._perm_ids: dict[tuple[str, str, str], int] = {}

    def dump(self, field: models.Field, value: Any) -> Any:
        target = field.related_model if field.is_relation else None
        if value is None or target is None:
            return value
        if target is ContentType:
            return self._types[value]
        if target is Permission:
            return self._perms[value]
        return value

    def load(self, field: models.Field, value: Any) -> Any:
        target = field.related_model if field.is_relation else None
        if value is None or target is None:
            return value
        if target is ContentType:
            key = tuple(value)
            if key not in self._type_ids:
                ct, _created = ContentType.objects.get_or_create(app_label=key[0], model=key[1])
                self._type_ids[key] = ct.pk
            return self._type_ids[key]
        if target is Permission:
            key = tuple(value)
            if key not in self._perm_ids:
                ct, _created = ContentType.objects.get_or_create(app_label=key[1], model=key[2])
                perm, _created = Permission.objects.get_or_create(
                    codename=key[0], content_type=ct, defaults={"name": key[0]}
                )
                self._perm_ids[key] = perm.pk
            return self._perm_ids[key]
        return value


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode()}
    return value


def _from_json(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    if isinstance(value, dict) and "$seconds" in value:
        return datetime.timedelta(seconds=value["$seconds"])
    if field.is_relation or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def table_lines(table: Table, keys: _Keys, using: str = DEFAULT_DB_ALIAS) -> Iterator[bytes]:
    """The table's rows as JSON lines, by primary key."""
    fields = table.fields
    rows = (
        table.model._base_manager.using(using)
        .order_by("pk")
        .values_list(*table.columns)
        .iterator(chunk_size=2000)
    )
    for row in rows:
        values = [_json(keys.dump(field, value)) for field, value in zip(fields, row, strict=True)]
        yield json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def table_digest(table: Table, keys: _Keys, using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for line in table_lines(table, keys, using):
        digest.update(line)
        count += 1
    return count, digest.hexdigest()


# ----------------------------------------------------------------------- files


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_files(storage, f"{folder}/{directory}" if folder else directory)


def _sha256(handle: IO[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


# ----------------------------------------------------------------------- backup


def _add(archive: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(datetime.datetime.now().timestamp())
    info.mode = 0o640
    archive.addfile(info, handle)


def backup(target: IO[bytes], *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None):
    """Write the archive to ``target`` (a binary file); return the manifest."""
    storage = storage or default_storage
    connection = connections[using]
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": connection.vendor,
        "migrations": applied_migrations(using),
        "tables": {},
        "files": {},
    }
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with tarfile.open(fileobj=target, mode="w:gz") as archive, transaction.atomic(using=using):
        if snapshot:  # one consistent view of every table (the first statement only)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        keys = _Keys()
        for table in tables():
            with tempfile.TemporaryFile() as spool:
                digest, count = hashlib.sha256(), 0
                for line in table_lines(table, keys, using):
                    spool.write(line)
                    digest.update(line)
                    count += 1
                size = spool.tell()
                spool.seek(0)
                name = f"data/{table.label}.jsonl"
                _add(archive, name, spool, size)
            manifest["tables"][table.label] = {
                "file": name,
                "columns": table.columns,
                "rows": count,
                "sha256": digest.hexdigest(),
            }
        for name in stored_files(storage):
            with storage.open(name, "rb") as handle:
                size, sha = _sha256(handle)
                handle.seek(0)
                _add(archive, f"media/{name}", handle, size)
            manifest["files"][name] = {"size": size, "sha256": sha}
        encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        _add(archive, "manifest.json", io.BytesIO(encoded), len(encoded))
    return manifest


# ----------------------------------------------------------------------- restore


def is_empty(*, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> list[str]:
    """Why the instance is not empty (an empty list when it is): an instance that anyone
    used has users; a freshly migrated one (catalogs seeded, units loaded) has none."""
    from django.contrib.auth import get_user_model

    reasons = []
    users = get_user_model()._base_manager.using(using).count()
    if users:
        reasons.append(f"the database has {users} user account(s)")
    files = next(iter(stored_files(storage or default_storage)), None)
    if files:
        reasons.append(f"the media folder holds files (e.g. {files})")
    return reasons


def wipe(using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every row of the copied tables (reference rows seeded by migrations too; the
    audit trail's triggers let this one wipe of a whole database through)."""
    with erasable(using):
        for table in reversed(tables()):
            table.model._base_manager.using(using).all()._raw_delete(using)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError as missing:
        raise BackupError("not a Khuyến công backup: manifest.json is missing") from missing
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _insert(table: Table, lines: IO[bytes], keys: _Keys, using: str) -> int:
    fields, count, batch = table.fields, 0, []
    manager = table.model._base_manager
    for line in lines:
        values = json.loads(line)
        batch.append(
            table.model(
                **{
                    field.attname: _from_json(field, keys.load(field, value))
                    for field, value in zip(fields, values, strict=True)
                }
            )
        )
        if len(batch) >= BATCH:
            manager._insert(batch, fields=fields, using=using, raw=True)
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, using=using, raw=True)
        count += len(batch)
    return count


def _safe_member(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not name.startswith("media/"):
        raise BackupError(f"unsafe file name in the archive: {name}")
    return str(PurePosixPath(*path.parts[1:]))


def restore(source: IO[bytes], *, using: str = DEFAULT_DB_ALIAS, storage: Storage | None = None):
    """Restore the archive into an empty instance; return the manifest. Refuses a
    non-empty instance, another schema version, and any count or checksum that differs."""
    storage = storage or default_storage
    with tarfile.open(fileobj=source, mode="r:gz") as archive:
        manifest = _read_manifest(archive)
        reasons = is_empty(using=using, storage=storage)
        if reasons:
            raise BackupError("restore needs an empty instance: " + "; ".join(reasons))
        if manifest["migrations"] != applied_migrations(using):
            raise BackupError(
                "the backup was made by another version (its migrations differ from this "
                "database's): install the same version, migrate an empty database, restore"
            )
        current = {table.label: table for table in tables()}
        if set(manifest["tables"]) != set(current):
            raise BackupError("the backup's tables differ from this version's")
        for label, entry in manifest["tables"].items():
            if entry["columns"] != current[label].columns:
                raise BackupError(f"the columns of {label} differ from this version's")
        written: list[str] = []
        try:
            for member in archive.getmembers():
                if not member.name.startswith("media/"):
                    continue
                if not member.isfile():
                    raise BackupError(f"unexpected entry in the archive: {member.name}")
                name = _safe_member(member.name)
                expected = manifest["files"].get(name)
                data = archive.extractfile(member)
                size, sha = _sha256(data)
                if expected is None or (size, sha) != (expected["size"], expected["sha256"]):
                    raise BackupError(f"the file {name} is damaged in the archive")
                data.seek(0)
                saved = storage.save(name, File(data, name=name))
                written.append(saved)
                if saved != name:
                    raise BackupError(f"could not restore {name} under its own name")
            if set(written) != set(manifest["files"]):
                raise BackupError("files listed in the manifest are missing from the archive")
            with transaction.atomic(using=using):
                wipe(using)
                keys = _Keys()
                for label, entry in manifest["tables"].items():
                    lines = archive.extractfile(entry["file"])
                    if _insert(current[label], lines, keys, using) != entry["rows"]:
                        raise BackupError(f"{label}: row count differs from the manifest")
                connection = connections[using]
                statements = connection.ops.sequence_reset_sql(
                    no_style(), [t.model for t in current.values()]
                )
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
                keys = _Keys()
                for label, entry in manifest["tables"].items():
                    count, sha = table_digest(current[label], keys, using)
                    if (count, sha) != (entry["rows"], entry["sha256"]):
                        raise BackupError(f"{label}: restored data differ from the backup")
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    return manifest


def verify(manifest: dict[str, Any], *, using: str = DEFAULT_DB_ALIAS, storage=None) -> list[str]:
    """Differences between the instance and a manifest (row counts, checksums, files)."""
    storage = storage or default_storage
    problems = []
    keys = _Keys()
    current = {table.label: table for table in tables()}
    for label, entry in manifest["tables"].items():
        count, sha = table_digest(current[label], keys, using)
        if count != entry["rows"]:
            problems.append(f"{label}: {count} rows, {entry['rows']} in the backup")
        elif sha != entry["sha256"]:
            problems.append(f"{label}: same count, different data")
    present = set(stored_files(storage))
    for name, entry in manifest["files"].items():
        if name not in present:
            problems.append(f"file missing: {name}")
            continue
        with storage.open(name, "rb") as handle:
            if _sha256(handle) != (entry["size"], entry["sha256"]):
                problems.append(f"file differs: {name}")
    return problems
