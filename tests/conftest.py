"""Shared fixtures: the named personas every scoping test reads the same way.

The world: 区委 → 街道党工委 → 社区党委 → 支部A, 支部B (siblings), and another street
with 支部C. Personas: office (区委 office), admin_a (支部A), admin_b (支部B), member_a
(a member of 支部A), member_c (a member of 支部C), outsider (a login with no role and
no member record), lecturer (bound to the first street).
支部A also has `sentinel`, a member whose name and personal data must never leak out of scope.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from dangshi.orgs.models import Org, OrgKind, Role
from tests import factories as f

SENTINEL_NAME = "哨兵甲乙丙"
SENTINEL_PHONE = "13912345678"
SENTINEL_ID = f.valid_id_number(date(1988, 8, 8), order=123)


@dataclass
class World:
    root: Org
    street: Org
    community: Org
    branch_a: Org
    branch_b: Org
    street2: Org
    branch_c: Org
    users: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # for sweep providers that build objects once

    def client(self, persona: str | None) -> Client:
        client = Client()
        if persona:
            client.force_login(self.users[persona])
        return client

    def once(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (the language switch, Accept-Language: en) leaves English active in
    the thread, and the tests after it would read English messages: put the default back."""
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    root = f.org(None, "中共测试区委员会", OrgKind.DISTRICT, code="ROOT", grassroots=False)
    street = f.org(root, "中共测试街道工作委员会", OrgKind.WORKING_COMMITTEE, code="ST1", grassroots=False)
    community = f.org(street, "中共测试社区委员会", OrgKind.COMMITTEE, code="CM1", grassroots=True)
    branch_a = f.org(community, "测试社区第一党支部", code="BRA")
    branch_b = f.org(community, "测试社区第二党支部", code="BRB")
    street2 = f.org(root, "中共第二街道工作委员会", OrgKind.WORKING_COMMITTEE, code="ST2", grassroots=False)
    branch_c = f.org(street2, "第二街道机关党支部", code="BRC")
    w = World(root, street, community, branch_a, branch_b, street2, branch_c)
    for name in ("office", "admin_a", "admin_b", "member_a", "member_c", "outsider", "lecturer"):
        w.users[name] = f.user(name)
    w.users["office"].is_staff = True
    w.users["office"].save()
    f.role(w.users["office"], Role.OFFICE, root)
    f.role(w.users["admin_a"], Role.ORG_ADMIN, branch_a)
    f.role(w.users["admin_b"], Role.ORG_ADMIN, branch_b)
    f.role(w.users["lecturer"], Role.LECTURER, street)
    w.members["member_a"] = f.member(branch_a, "甲支部党员", user=w.users["member_a"], phone="13800000001",
                                     id_number=f.valid_id_number(date(1990, 1, 1), order=11))
    w.members["member_c"] = f.member(branch_c, "丙支部党员", user=w.users["member_c"], phone="13800000003",
                                     id_number=f.valid_id_number(date(1991, 2, 2), order=13))
    w.members["member_b"] = f.member(branch_b, "乙支部党员", phone="13800000002",
                                     id_number=f.valid_id_number(date(1992, 3, 3), order=15))
    w.members["sentinel"] = f.member(branch_a, SENTINEL_NAME, phone=SENTINEL_PHONE, id_number=SENTINEL_ID)
    return w




@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Serialized rollback for the browser journeys too. Playwright's sync API keeps an asyncio
    loop running in the test thread, so Django's connection handler (an asgiref thread-critical
    Local, which switches to context-var storage while a loop runs) hands those tests a second
    connection object, one without the `_test_serialized_contents` that setup_databases stored
    on the first: TransactionTestCase then skipped the restore without a word, and a journey
    after another live-server test found the data-migration rows flushed. Stored on the backend
    class as well (one database alias here), every connection object of the run finds them."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if hasattr(conn, "_test_serialized_contents"):
            type(conn)._test_serialized_contents = conn._test_serialized_contents
    return django_db_setup


@pytest.fixture(scope="session")
def _one_request_at_a_time_on_sqlite():
    """On SQLite the test database lives in memory, and Django hands the live server's request
    threads the test thread's one connection. Two requests at once (a page's two images, say)
    then use that sqlite3 connection from two threads, and it fails with "bad parameter or
    other API misuse". Connections are still accepted by many threads (so Chromium's idle
    preconnects block nobody); only the application runs one request at a time. PostgreSQL
    gives each thread its own connection and keeps the threaded server as it is."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return

    class SerialAppServer(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    # Read the whole body inside the lock: a streamed response may still query.
                    response = application(environ, start_response)
                    try:
                        chunks = list(response)
                    finally:
                        if hasattr(response, "close"):
                            response.close()
                return chunks

            super().set_app(serial)

    original = LiveServerThread.server_class
    LiveServerThread.server_class = SerialAppServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def live_server(_one_request_at_a_time_on_sqlite, live_server):
    return live_server


def pytest_collection_modifyitems(config, items):
    """- Transactional tests (live_server, races) end with a flush that empties every table,
      data-migration rows too (七进 venue kinds, default columns, service types...), which
      the tests after them would miss: they get Django's serialized rollback, which puts
      the post-migration rows back.
    - `postgres` tests (races the database constraints close) run only against PostgreSQL."""
    from django.db import connection

    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "live_server" in item.fixturenames or "transactional_db" in item.fixturenames or (
            marker is not None and marker.kwargs.get("transaction"))
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
