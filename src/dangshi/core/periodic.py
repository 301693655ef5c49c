"""Every periodic job, in this one place (docs/deploy.md lists the same).

`dangshi scheduler` (core/management/commands/scheduler.py) calls `core.scheduler.tick()` every few
seconds; for each job whose latest due time is recent (within `grace`) and not yet fired,
it records a `PeriodicRun` and enqueues `run_periodic(name)` on the task backend, in one
transaction. The unique (job, due_at) constraint is the lock: two schedulers started by
mistake (or one per machine for failover) fire each job once per due time. A job whose due
time passed more than `grace` ago while no scheduler ran is skipped until its next time.

Jobs name management commands by string: core imports no app.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta


@dataclass(frozen=True)
class Every:
    """Every `minutes`, aligned to the clock (every 5 minutes: :00, :05, …)."""

    minutes: int

    def latest(self, now: datetime) -> datetime:
        step = self.minutes * 60
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight + timedelta(seconds=int((now - midnight).total_seconds()) // step * step)

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.minutes)

    def __str__(self):
        return f"every {self.minutes} min"


@dataclass(frozen=True)
class Daily:
    at: time
    weekday: int | None = None  # 0 = Monday; None = every day

    def latest(self, now: datetime) -> datetime:
        due = now.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        if due > now:
            due -= timedelta(days=1)
        if self.weekday is not None:
            due -= timedelta(days=(due.weekday() - self.weekday) % 7)
        return due

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=1)

    def __str__(self):
        day = "daily" if self.weekday is None else ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.weekday]
        return f"{day} {self.at:%H:%M}"


@dataclass(frozen=True)
class Job:
    name: str
    when: Every | Daily
    command: str = ""  # a `dangshi` management command; empty for `worker-heartbeat`
    args: tuple[str, ...] = field(default_factory=tuple)
    doc: str = ""


PERIODIC_JOBS: tuple[Job, ...] = (
    Job("schedule-briefings", Daily(time(6, 0), weekday=0), "schedule-briefings",
        doc="last week's roll-up and briefings (and last month's on a month's first Monday)"),
    Job("rollup-current", Every(15), "schedule-briefings", ("--current",),
        doc="this week's and month's roll-up, so the dashboard reads pre-aggregated figures"),
    Job("quiz-snapshots", Every(5), "quiz-snapshots", doc="season ranking snapshot of every open daily contest"),
    Job("supervision-remind", Daily(time(7, 30)), "supervision-remind", doc="reminders of tasks due or overdue"),
    Job("clearsessions", Daily(time(3, 0)), "clearsessions", doc="Django: delete expired sessions"),
    Job("worker-heartbeat", Every(1), doc="proves a worker runs tasks (read by /healthz)"),
)
JOBS_BY_NAME = {job.name: job for job in PERIODIC_JOBS}
