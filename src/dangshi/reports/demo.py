"""Demo: the last weeks pre-aggregated, highlights picked from the other modules' activity
reports (as the office would), and past briefings (a numbered series)."""

from datetime import timedelta

from dangshi.core.demo import DemoContext
from dangshi.orgs.scope import scope_for
from dangshi.reports import candidates, periods, services

HIGHLIGHTS_PER_WEEK = 3


def build(ctx: DemoContext) -> None:
    root = ctx.root
    office = ctx.users["office"]
    scope = scope_for(office)
    this_week = periods.period_of("week", ctx.today)
    weeks = periods.weeks_before(periods.period_of("week", this_week.start - timedelta(days=1)), 8)
    picked = 0
    for week in weeks[-2:]:
        # The office's pick: reports with photos first, one of each kind where there is one.
        by_kind = {}
        for c in candidates.candidate_list(scope=scope, org=root, period=week):
            by_kind.setdefault(c.source, c)
        for c in list(by_kind.values())[:HIGHLIGHTS_PER_WEEK]:
            services.highlight_pick(scope=scope, source=c.source, source_id=c.source_id, actor=office)
            picked += 1
    for week in weeks:
        services.rollup_rebuild(period=week)
    for week in weeks[-3:]:
        services.briefing_generate(org=root, period=week, today=week.end + timedelta(days=1))
    last_month = periods.period_of("month", ctx.today.replace(day=1) - timedelta(days=1))
    services.briefing_generate(org=root, period=last_month, today=last_month.end + timedelta(days=1))
    ctx.log(f"  reports: {len(weeks)} weeks pre-aggregated, {picked} highlights picked, "
            "3 weekly briefings, 1 monthly summary")
