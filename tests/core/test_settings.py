import pytest
from django.core.exceptions import ImproperlyConfigured

from dangshi.env import env_bool, env_int
from dangshi.settings import _database


def test_env_bool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 1)
    monkeypatch.delenv("X_NUM")
    assert env_int("X_NUM", 7) == 7


def test_sqlite_url_is_wal_with_immediate_transactions():
    db = _database("sqlite:///var/x.sqlite3")
    assert db["ENGINE"].endswith("sqlite3") and str(db["NAME"]).endswith("var/x.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_is_parsed():
    db = _database("postgres://u%40x:p%23w@db.local:6543/camp")
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == ("u@x", "p#w", "db.local", "6543", "camp")


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        _database("mysql://root@localhost/x")
