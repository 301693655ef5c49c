"""`dangshi scheduler`: every periodic job once per due time, however many schedulers run."""

import threading
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.tasks import default_task_backend

from dangshi.core.models import PeriodicRun
from dangshi.core.periodic import JOBS_BY_NAME, PERIODIC_JOBS, Daily, Every
from dangshi.core.scheduler import tick
from dangshi.core.tasks import HEARTBEAT_KEY, run_periodic

SH = ZoneInfo("Asia/Shanghai")
MONDAY_6 = datetime(2026, 12, 7, 6, 0, 20, tzinfo=SH)  # a Monday


@pytest.fixture
def dummy_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _enqueued(backend) -> list[str]:
    return sorted(r.args[0] for r in backend.results)


def test_the_known_periodic_jobs_are_listed_with_their_schedules():
    assert JOBS_BY_NAME["schedule-briefings"].when == Daily(time(6, 0), weekday=0)
    assert JOBS_BY_NAME["quiz-snapshots"].when == Every(5)
    assert JOBS_BY_NAME["supervision-remind"].when.weekday is None
    assert {j.command for j in PERIODIC_JOBS if j.command} >= {"schedule-briefings", "quiz-snapshots",
                                                               "supervision-remind"}


def test_schedules_give_the_latest_due_time():
    assert Daily(time(6, 0), weekday=0).latest(datetime(2026, 12, 9, 12, 0, tzinfo=SH)) == datetime(2026, 12, 7, 6, 0, tzinfo=SH)
    assert Daily(time(6, 0), weekday=0).latest(datetime(2026, 12, 7, 5, 59, tzinfo=SH)) == datetime(2026, 11, 30, 6, 0, tzinfo=SH)
    assert Every(5).latest(datetime(2026, 12, 7, 6, 7, 59, tzinfo=SH)) == datetime(2026, 12, 7, 6, 5, tzinfo=SH)
    assert Daily(time(7, 30)).latest(datetime(2026, 12, 7, 7, 0, tzinfo=SH)) == datetime(2026, 12, 6, 7, 30, tzinfo=SH)


@pytest.mark.django_db
def test_monday_six_fires_the_briefings_and_a_second_tick_fires_nothing(dummy_tasks):
    fired = tick(now=MONDAY_6)
    assert {r.job for r in fired} == {"schedule-briefings", "rollup-current", "quiz-snapshots", "worker-heartbeat"}
    assert _enqueued(dummy_tasks) == sorted(r.job for r in fired)
    assert all(r.task_id for r in PeriodicRun.objects.all())
    assert tick(now=MONDAY_6.replace(second=50)) == []
    assert len(dummy_tasks.results) == 4


@pytest.mark.django_db
def test_a_job_missed_by_more_than_an_hour_waits_for_its_next_time(dummy_tasks):
    fired = tick(now=datetime(2026, 12, 7, 9, 1, tzinfo=SH))
    assert "schedule-briefings" not in {r.job for r in fired}
    assert "supervision-remind" in {r.job for r in tick(now=datetime(2026, 12, 7, 7, 31, tzinfo=SH))}


@pytest.mark.postgres  # SQLite's shared-cache test database locks tables instead of waiting
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_ticking_at_once_fire_each_job_once(dummy_tasks):
    start = threading.Barrier(2)
    fired: dict[str, list] = {}
    errors, enqueued = [], []

    def scheduler(name: str):
        try:
            start.wait()
            fired[name] = tick(now=MONDAY_6, fired_by=name)
            enqueued.extend(_enqueued(default_task_backend))  # each thread has its own backend
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    jobs = [r.job for runs in fired.values() for r in runs]
    assert sorted(jobs) == sorted(set(jobs)) and len(jobs) == 4
    assert sorted(enqueued) == sorted(jobs)
    assert PeriodicRun.objects.count() == 4


@pytest.mark.django_db
def test_the_worker_runs_a_periodic_job_and_the_heartbeat(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.delete(HEARTBEAT_KEY)
    assert run_periodic.enqueue("supervision-remind").return_value == "supervision-remind"
    run_periodic.enqueue("worker-heartbeat")
    assert cache.get(HEARTBEAT_KEY) is not None


@pytest.mark.django_db
def test_the_command_ticks_once_and_lists_the_jobs(dummy_tasks, capsys):
    call_command("scheduler", "--once", "--now", "2026-12-07T06:00:05")
    out = capsys.readouterr().out
    assert "schedule-briefings due 2026-12-07T06:00:00+08:00 enqueued" in out
    call_command("scheduler", "--list")
    assert "quiz-snapshots       every 5 min      dangshi quiz-snapshots" in capsys.readouterr().out
