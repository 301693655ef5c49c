"""Background work, run by the Tasks framework's worker (django-tasks-db:
`dangshi db_worker`). django-tasks-db has no scheduler: `dangshi schedule-briefings`,
run by cron or a systemd timer every Monday morning, enqueues these (docs/reports.md)."""

from django.tasks import task

from dangshi.orgs.selectors import org_subtree
from dangshi.reports import periods, services


@task
def briefing_task(org_code: str, period_key: str) -> int:
    """Generate one briefing (weekly "2021-W23" or monthly "2021-06"); returns its number."""
    org = org_subtree(root="").get(code=org_code)  # an unknown code fails the task (Org.DoesNotExist)
    return services.briefing_generate(org=org, period=periods.parse(period_key)).number


@task
def rollup_task(period_key: str) -> int:
    """Pre-aggregate one period for the whole tree; returns the number of rows."""
    return services.rollup_rebuild(period=periods.parse(period_key)).rows.count()
