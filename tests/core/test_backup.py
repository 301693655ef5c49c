"""`dangshi backup` / `dangshi restore` round trip on whichever database the suite runs on
(SQLite by `make test`, PostgreSQL by `.ci/run`), media included, the key never inside
(issue 17, finding 13)."""

import stat
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from dangshi.core import backup as backup_module
from dangshi.core import checks
from dangshi.orgs.models import Member
from tests.conftest import SENTINEL_PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "practical").mkdir(parents=True)
    (settings.MEDIA_ROOT / "practical" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\nphoto")
    return settings.MEDIA_ROOT


def test_backup_then_restore_brings_back_rows_and_uploads_after_a_loss(world, media, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    before = Member.objects.count()
    Member.objects.filter(name="甲支部党员").delete()
    (media / "practical" / "p.png").unlink()

    call_command("restore", str(archive), "--yes")
    assert Member.objects.count() == before
    assert Member.objects.get(name="甲支部党员").org == world.branch_a
    assert Member.objects.get(pk=world.members["sentinel"].pk).phone == SENTINEL_PHONE
    assert (media / "practical" / "p.png").read_bytes().endswith(b"photo")


def test_stolen_backup_holds_neither_the_encryption_key_nor_clear_phones(world, media, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    key, secret = settings.FIELD_ENCRYPTION_KEY.encode(), settings.SECRET_KEY.encode()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        blobs = [tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]
    assert not any("key" in n for n in names)
    assert not any(key in b or secret in b for b in blobs)
    assert not any(SENTINEL_PHONE.encode() in b for b in blobs)  # phones stay encrypted in the dump


def test_restore_under_another_key_is_refused_unless_asked(world, media, tmp_path, monkeypatch):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    monkeypatch.setattr(backup_module, "key_fingerprint", lambda: "another key")
    with pytest.raises(CommandError, match="FIELD_ENCRYPTION_KEY"):
        call_command("restore", str(archive), "--yes")


def test_an_archive_with_paths_escaping_the_folder_is_not_extracted_outside(world, media, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    call_command("backup", str(archive))
    evil = tmp_path / "evil2.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(evil, "w:gz") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member))
        payload = tmp_path / "payload"
        payload.write_bytes(b"x")
        dst.add(payload, arcname="../../escaped")
    with pytest.raises(tarfile.OutsideDestinationError):
        call_command("restore", str(evil), "--yes")
    assert not (tmp_path.parent / "escaped").exists()


def test_production_start_up_warns_when_the_key_sits_beside_the_database(tmp_path, settings, monkeypatch, caplog):
    settings.FIELD_ENCRYPTION_KEY_FROM_ENV = False
    settings.VAR_DIR, settings.DEBUG = tmp_path, False
    (tmp_path / "field_encryption_key").write_text("k")
    monkeypatch.setattr(backup_module, "_db", lambda: {"ENGINE": "django.db.backends.sqlite3",
                                                       "NAME": tmp_path / "dangshi.sqlite3"})
    assert [w.id for w in checks.key_apart_from_database(None)] == ["dangshi.W001"]
    checks.warn_at_startup()
    assert "field_encryption_key" in caplog.text
    settings.FIELD_ENCRYPTION_KEY_FROM_ENV = True  # FIELD_ENCRYPTION_KEY set in the environment
    assert checks.key_apart_from_database(None) == []
