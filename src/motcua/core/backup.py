"""Backups of the whole system (database and uploaded files) and their restoration, each archive
carrying a manifest of row counts and checksums that the restored system is checked against.

SQLite is copied with its online backup API; PostgreSQL with pg_dump's custom format, restored
by psql from pg_restore's script in a single transaction (all or nothing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Difference:
    what: str
    expected: object
    found: object

    def __str__(self) -> str:
        return f"{self.what}: {self.expected} → {self.found}"


# ---------------------------------------------------------------------------------------------
# The manifest: what the system holds, in a form both engines give alike


def _text(value) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, datetime):
        return value.astimezone(timezone.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (date, time, Decimal)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _models():
    for model in apps.get_models():
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            yield model


def table_manifest() -> dict[str, dict]:
    """Each table's row count and a SHA-256 over its rows in primary-key order."""
    found = {}
    for model in _models():
        columns = [f.attname for f in model._meta.concrete_fields]
        digest, count = hashlib.sha256(), 0
        for row in model._base_manager.order_by("pk").values_list(*columns).iterator(chunk_size=5000):
            digest.update("\x1f".join(map(_text, row)).encode())
            digest.update(b"\n")
            count += 1
        found[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return found


def media_manifest(root: Path | None = None) -> dict[str, dict]:
    root = Path(root or settings.MEDIA_ROOT)
    found = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found[path.relative_to(root).as_posix()] = {"bytes": path.stat().st_size, "sha256": _file_sha256(path)}
    return found


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def manifest() -> dict:
    return {
        "format": FORMAT,
        "engine": connection.vendor,
        "created_at": timezone.now().isoformat(),
        "tables": table_manifest(),
        "media": media_manifest(),
    }


def compare(expected: dict, found: dict) -> list[Difference]:
    differences = []
    for part in ("tables", "media"):
        for name in sorted(set(expected[part]) | set(found[part])):
            want, have = expected[part].get(name), found[part].get(name)
            if want != have:
                differences.append(Difference(f"{part}/{name}", want, have))
    return differences


# ---------------------------------------------------------------------------------------------
# Backup


def backup(target: Path | str) -> dict:
    """Write an archive of the database and the uploaded files to ``target``; returns its manifest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            dump = work / "database.sqlite3"
            _sqlite_copy(dump)
            contents = manifest()
        elif connection.vendor == "postgresql":
            dump = work / "database.pgdump"
            # The dump and the manifest read one snapshot, so writes meanwhile cannot set them apart.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
                _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                      "--file", str(dump)])  # fmt: skip
                contents = manifest()
        else:
            raise BackupError(f"No backup for the {connection.vendor} engine.")
        (work / "manifest.json").write_text(json.dumps(contents, indent=1, ensure_ascii=False))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(dump, dump.name)
            media = Path(settings.MEDIA_ROOT)
            for name in contents["media"]:
                archive.add(media / name, f"media/{name}")
        os.replace(partial, target)  # a finished archive or none
    return contents


def _sqlite_copy(dump: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools are needed).")
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


# ---------------------------------------------------------------------------------------------
# Restore and verification


def read_manifest(archive_path: Path | str) -> dict:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            return json.load(member)
    except (tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{archive_path} is not a motcua backup archive ({error}).") from error


def restore(archive_path: Path | str) -> list[Difference]:
    """Replace the database and the uploaded files with the archive's; returns the differences
    between the restored system and the archive's manifest (none when the restore is whole)."""
    expected = read_manifest(archive_path)
    if expected.get("format") != FORMAT:
        raise BackupError("The archive's format is not one this version reads.")
    if expected["engine"] != connection.vendor:
        raise BackupError(f"The archive holds a {expected['engine']} database; this system runs {connection.vendor}.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        work = Path(work)
        archive.extractall(work, filter="data")
        if connection.vendor == "sqlite":
            _sqlite_restore(work / "database.sqlite3")
        else:
            connection.close()
            # pg_restore --clean drops a partition's inherited keys before their table and fails;
            # so the script empties the database itself first, in the same transaction as the restore.
            script = work / "restore.sql"
            _run(["pg_restore", "--no-owner", "--no-privileges", "--file", str(script), str(work / "database.pgdump")])
            with script.open("r+", encoding="utf-8") as handle:
                body = handle.read()
                handle.seek(0)
                handle.write(EMPTY_DATABASE + body)
            _run(["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set", "ON_ERROR_STOP=1",
                  "--file", str(script)])  # fmt: skip
        _media_restore(work / "media", expected["media"])
    return verify(expected)


# Every table, sequence, view and function of the application's schemas, archived years included.
EMPTY_DATABASE = """
DROP SCHEMA IF EXISTS archive CASCADE;
DO $$
DECLARE item record;
BEGIN
    -- extensions first (pg_trgm for the search): the archive creates them again; their own
    -- functions cannot be dropped one by one
    FOR item IN SELECT e.extname AS name FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE n.nspname = 'public' LOOP
        EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', item.name);
    END LOOP;
    FOR item IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition LOOP
        EXECUTE format(CASE WHEN item.relkind IN ('v', 'm') THEN 'DROP VIEW IF EXISTS %s CASCADE'
                            ELSE 'DROP TABLE IF EXISTS %s CASCADE' END, item.name);
    END LOOP;
    FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'S' LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %s CASCADE', item.name);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.name);
    END LOOP;
END $$;
"""


def _sqlite_restore(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _media_restore(extracted: Path, files: dict) -> None:
    media = Path(settings.MEDIA_ROOT)
    for name in files:
        destination = media / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(extracted / name, destination)


def verify(expected: dict) -> list[Difference]:
    """Compare the live system with a manifest; files added since are not counted as differences."""
    found = {"tables": table_manifest(), "media": media_manifest()}
    found["media"] = {name: info for name, info in found["media"].items() if name in expected["media"]}
    return compare(expected, found)
