"""The same task code on the RQ broker (TASKS_BACKEND=django_tasks_rq.RQBackend): enqueued
by one process, run by `dangshi rqworker` in another, its result read back by a third, all
through the Redis on 127.0.0.1:6379 (database 14 by default, TEST_TASKS_REDIS_URL to
change it). Skipped where no Redis answers."""

import os
import subprocess
import sys

import pytest
import redis

TASKS_REDIS_URL = os.environ.get("TEST_TASKS_REDIS_URL", "redis://127.0.0.1:6379/14")


def _reachable() -> bool:
    try:
        return redis.Redis.from_url(TASKS_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _reachable(), reason=f"no Redis at {TASKS_REDIS_URL}")


@pytest.fixture
def rq_env(tmp_path):
    client = redis.Redis.from_url(TASKS_REDIS_URL)
    client.flushdb()
    env = {**os.environ, "DANGSHI_VAR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
           "TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": TASKS_REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "dangshi.settings"}
    env.pop("DATABASE_REPLICA_URL", None)
    yield env, client
    client.flushdb()


def _python(env, code: str) -> str:
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                          capture_output=True, text=True, check=True, timeout=120).stdout.strip()


def test_a_task_enqueued_on_rq_is_run_by_the_rq_worker(rq_env):
    env, client = rq_env
    task_id = _python(env, "from dangshi.core.tasks import ping; print(ping.enqueue('通过 RQ').id)")
    assert client.exists(f"rq:job:{task_id}")
    assert _python(env, f"from dangshi.core.tasks import ping; print(ping.get_result('{task_id}').status)") == "READY"

    worker = subprocess.run([sys.executable, "-m", "dangshi.cli", "rqworker", "--burst",
                             "--job-class", "django_tasks_rq.Job", "default"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr

    status, value = _python(env, f"from dangshi.core.tasks import ping; r = ping.get_result('{task_id}'); "
                                 "print(r.status, r.return_value)").split(" ", 1)
    assert (status, value) == ("SUCCESSFUL", "通过 RQ")
    assert client.exists(":1:worker:heartbeat")  # the task ran in the worker, against the shared cache


def test_rq_without_a_redis_url_fails_at_start_naming_the_setting(tmp_path):
    env = {**os.environ, "DANGSHI_VAR": str(tmp_path), "TASKS_BACKEND": "django_tasks_rq.RQBackend",
           "DJANGO_SETTINGS_MODULE": "dangshi.settings"}
    env.pop("REDIS_URL", None)
    env.pop("TASKS_REDIS_URL", None)
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "TASKS_REDIS_URL or REDIS_URL" in out.stderr
