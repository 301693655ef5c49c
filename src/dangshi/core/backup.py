"""`dangshi backup` and `dangshi restore`: the database and the uploads in one archive, the
encryption key never in it.

The archive is a tar.gz (written 0600) holding `manifest.json`, the database (`db.sqlite3`,
copied with SQLite's online backup API while the site runs; or `db.pgdump`, pg_dump's custom
format) and `media/` (MEDIA_ROOT). It holds the personal data encrypted as the database keeps
it; FIELD_ENCRYPTION_KEY and SECRET_KEY are never written into it, only a fingerprint of the
field key (an HMAC, which reveals nothing of the key) so that restore can say when the key it
runs with cannot read the archive.
"""

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1


class BackupError(Exception):
    pass


def key_fingerprint() -> str:
    return hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), b"dangshi-backup-fingerprint", hashlib.sha256).hexdigest()


def _db() -> dict:
    return connections["default"].settings_dict


def _vendor() -> str:
    return connections["default"].vendor


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found (apt-get install postgresql-client)")
    return path


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _dump_database(folder: Path) -> str:
    db = _db()
    if _vendor() == "sqlite":
        target = folder / "db.sqlite3"
        connection = connections["default"]
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # online: consistent while the site keeps writing
        finally:
            dest.close()
        return target.name
    if _vendor() == "postgresql":
        target = folder / "db.pgdump"
        command = [_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(target), *_pg_args(db), db["NAME"]]
        run = subprocess.run(command,  # noqa: S603 - our arguments, no shell
                             env=_pg_env(db), capture_output=True, text=True, check=False)
        if run.returncode:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        return target.name
    raise BackupError(f"no backup for the {_vendor()} backend")


def _private_file(path: Path):
    """`path` opened for writing, owner-only from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _add_media(tar: tarfile.TarFile) -> int:
    root, count = Path(settings.MEDIA_ROOT), 0
    if not root.exists():
        return 0
    secrets_ = {Path(settings.VAR_DIR) / "field_encryption_key", Path(settings.VAR_DIR) / "secret_key"}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.resolve() not in {s.resolve() for s in secrets_}:
            tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}", recursive=False)
            count += 1
    return count


def backup(output: Path) -> dict:
    """Write the archive to `output`; returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="dangshi-backup-") as tmp:
        db_name = _dump_database(Path(tmp))
        with _private_file(output) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(Path(tmp) / db_name, arcname=db_name)
            media = _add_media(tar)
            manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(), "engine": _vendor(),
                        "database": db_name, "media_files": media, "key_fingerprint": key_fingerprint()}
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
    return manifest


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("not a dangshi backup: no manifest.json")
        return json.loads(member.read())


def restore(archive: Path, *, allow_other_key: bool = False) -> dict:
    """Replace the database and MEDIA_ROOT's files with the archive's. Refuses an archive of
    another engine, and one made under another FIELD_ENCRYPTION_KEY unless `allow_other_key`."""
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest["engine"] != _vendor():
        raise BackupError(f"this backup is of a {manifest['engine']} database; this site runs {_vendor()}")
    if manifest["key_fingerprint"] != key_fingerprint() and not allow_other_key:
        raise BackupError("the backup was made under another FIELD_ENCRYPTION_KEY: set that key "
                          "(its personal data cannot be read without it), or pass --other-key")
    with tempfile.TemporaryDirectory(prefix="dangshi-restore-") as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")  # no absolute paths, no .., no devices or links outside
        _restore_database(Path(tmp) / manifest["database"])
        media_src, media_root = Path(tmp) / "media", Path(settings.MEDIA_ROOT)
        if media_src.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media_src, media_root, dirs_exist_ok=True)
    return manifest


def _restore_database(source: Path) -> None:
    db = _db()
    connection = connections["default"]
    if _vendor() == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source)
        try:
            src.backup(connection.connection)  # page by page into the live database, in one step
        finally:
            src.close()
        return
    listed = subprocess.run([_tool("pg_restore"), "--list", str(source)],  # noqa: S603 - no shell
                            capture_output=True, text=True, check=False)
    if listed.returncode:  # a damaged archive is refused before anything is dropped
        raise BackupError(f"pg_restore cannot read the archive: {listed.stderr.strip()}")
    # `pg_restore --clean` cannot drop the ranking snapshot partitions' inherited constraints
    # (quiz/0004): start from an empty schema instead, then restore in one transaction.
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connection.close()
    run = subprocess.run([_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error",  # noqa: S603
                          "-d", db["NAME"], *_pg_args(db), str(source)],
                         env=_pg_env(db), capture_output=True, text=True, check=False)
    if run.returncode:
        raise BackupError(f"pg_restore failed (the schema is empty; rerun restore): {run.stderr.strip()}")


def key_beside_database() -> bool:
    """True when FIELD_ENCRYPTION_KEY is the generated file in var/ and the SQLite database is
    in var/ too: whoever copies the folder has the data and the key to read it."""
    key_file = Path(settings.VAR_DIR) / "field_encryption_key"
    if settings.FIELD_ENCRYPTION_KEY_FROM_ENV or not key_file.exists():
        return False
    db = _db()
    if db["ENGINE"].endswith("sqlite3"):
        return Path(str(db["NAME"])).resolve().parent == key_file.resolve().parent
    return False
