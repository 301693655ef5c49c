import pytest

from dangshi.orgs.scope import scope_for
from tests.reports.fakes import FakeModule, install


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fake(monkeypatch, world):
    return install(monkeypatch, FakeModule())


@pytest.fixture
def office_scope(world):
    return scope_for(world.users["office"])


@pytest.fixture
def admin_a_scope(world):
    return scope_for(world.users["admin_a"])
