"""Demo: highlights, the last weeks pre-aggregated, and past briefings (a numbered series)."""

from datetime import timedelta

from dangshi.core.demo import DemoContext
from dangshi.reports import periods, services
from dangshi.reports.models import Highlight

HIGHLIGHTS = [
    ("红旗街道开展“百年党史百人讲”", "组织党员干部、老党员、青年党员走进社区、企业宣讲百年党史。"),
    ("区教育局推动党史进课堂", "把党史教育融入思政课,开展“红色故事我来讲”活动。"),
    ("东湖街道办好民生实事", "聚焦老旧小区改造,为群众解决急难愁盼问题。"),
]


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("reports")
    root = ctx.root
    this_week = periods.period_of("week", ctx.today)
    weeks = periods.weeks_before(periods.period_of("week", this_week.start - timedelta(days=1)), 8)
    for i, (title, text) in enumerate(HIGHLIGHTS):  # in the last two weeks
        org = ctx.orgs.get(f"street{i + 1}", root)
        Highlight.objects.create(org=org, day=weeks[-1 - (i % 2)].start + timedelta(days=rng.randint(0, 4)),
                                 title=title, text=text)
    for week in weeks:
        services.rollup_rebuild(period=week)
    for week in weeks[-3:]:
        services.briefing_generate(org=root, period=week, today=week.end + timedelta(days=1))
    last_month = periods.period_of("month", ctx.today.replace(day=1) - timedelta(days=1))
    services.briefing_generate(org=root, period=last_month, today=last_month.end + timedelta(days=1))
    ctx.log(f"  reports: {len(weeks)} weeks pre-aggregated, 3 weekly briefings, 1 monthly summary")
