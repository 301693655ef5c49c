"""Demo 12345 requests: about 3,000 over the demo year, handled by the streets, community
committees and 支部1, with callbacks (about 97% satisfied, as the city reported),
and the last fortnight's requests still open (some overdue)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from dangshi.core.demo import DemoContext
from dangshi.core.names import person_name
from dangshi.hotline.intake import _Plan, source_save
from dangshi.hotline.models import Kind, Request, ServiceType
from dangshi.hotline.services import requests_link_matter, requests_to_matter
from dangshi.orgs.choices import OrgKind
from dangshi.orgs.scope import scope_for
from dangshi.orgs.selectors import org_subtree
from dangshi.practical import selectors as practical_selectors

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

PROBLEMS = [
    ("城市管理", "市政设施", "路灯", "小区门口路灯不亮,晚上出行不便"),
    ("城市管理", "环境卫生", "垃圾清运", "垃圾桶满溢多日无人清运"),
    ("公用事业", "供水", "停水", "家中停水已超过一天"),
    ("公用事业", "供电", "停电", "楼栋频繁停电"),
    ("公用事业", "燃气", "漏气", "楼道有燃气味,担心安全隐患"),
    ("公用事业", "供暖", "暖气不热", "暖气不热,室温低"),
    ("住房保障", "物业管理", "电梯", "电梯经常故障,老人上下楼困难"),
    ("交通运输", "道路", "坑洼", "路面坑洼,雨天积水"),
    ("生态环境", "噪声", "施工噪声", "工地夜间施工噪声扰民"),
    ("社会保障", "医保", "报销", "咨询异地就医报销流程"),
    ("劳动保障", "劳资纠纷", "欠薪", "单位拖欠工资三个月"),
    ("教育", "入学", "学位", "咨询小学入学划片政策"),
    ("城市建设", "拆迁", "历史遗留", "老旧小区改造拆迁补偿问题"),
]
KIND_WEIGHTS = [(Kind.CONSULT, 25), (Kind.HELP, 30), (Kind.COMPLAINT, 30), (Kind.REPORT, 5), (Kind.SUGGESTION, 10)]


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("hotline")
    tz = timezone.get_current_timezone()
    handlers = list(org_subtree(root=ctx.root).filter(kind__in=(OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE))
                    .exclude(pk=ctx.root.pk).order_by("path")[:40])
    branch1 = ctx.orgs.get("branch1")
    if branch1 is not None:
        handlers.append(branch1)
    source_save(name="市12345热线平台", header_aliases={"number": ["工单流水号"], "org": ["责任单位"]})
    year_start = datetime(ctx.today.year, 1, 1, tzinfo=tz)
    now = datetime.combine(ctx.today, time(18, 0), tzinfo=tz)
    span = (now - year_start).total_seconds()
    n = 3000
    plan = _Plan(services=list(ServiceType.objects.filter(active=True)), intake_org=ctx.root, source=None,
                 actor=None)  # as imported from the hotline system
    kinds, weights = zip(*KIND_WEIGHTS, strict=True)
    for i in range(n):
        received = year_start + timedelta(seconds=span * i / n + rng.randint(0, 3000))
        c1, c2, c3, text = rng.choice(PROBLEMS)
        kind = rng.choices(kinds, weights=weights)[0]
        row = {
            "number": f"HX{received:%Y%m%d}{i:05d}", "received_at": received, "kind": kind,
            "caller_name": person_name(rng, rng.choice("MF")),
            "caller_phone": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "content": text, "address": f"红星区{rng.choice(('和平路', '建设大道', '解放街', '友谊路'))}{rng.randint(1, 300)}号",
            "category_1": c1, "category_2": c2, "category_3": c3, "co_org_objs": [],
        }
        if kind != Kind.CONSULT or rng.random() < 0.3:
            org = branch1 if branch1 is not None and rng.random() < 0.08 else rng.choice(handlers)
            row["org_obj"] = org
            dispatched = received + timedelta(minutes=rng.randint(5, 90))
            row["dispatched_at"] = dispatched
            age = (now - dispatched).days
            if rng.random() < 0.1:
                row["co_org_objs"] = [rng.choice(handlers)]
            if age > 1 or rng.random() < 0.5:
                row["signed_at"] = dispatched + timedelta(hours=rng.choice((1, 2, 3, 6, 30)))
            if age > 14 or (age > 2 and rng.random() < 0.5):
                row["replied_at"] = row["signed_at"] + timedelta(hours=rng.randint(3, 190))
                if row["replied_at"] < now - timedelta(days=2) and rng.random() < 0.92:
                    row["resolution"] = rng.choices(("resolved", "partly", "not"), weights=(88, 8, 4))[0]
                    row["satisfaction"] = rng.choices(("satisfied", "basic", "not"), weights=(90, 7, 3))[0]
                    row["closed_at"] = row["replied_at"] + timedelta(days=2)
        plan.add(row)
    plan.write()
    # The 支部1 requests it signed were signed by its secretary: the assigned staff.
    if branch1 is not None and "branch1" in ctx.users:
        Request.objects.filter(org=branch1, signed_at__isnull=False).update(assignee=ctx.users["branch1"])
    _matters(ctx, branch1)
    ctx.log(f"  hotline: {n} requests, {Request.objects.filter(resolution__gt='').count()} called back, "
            f"{Request.objects.filter(matter__isnull=False).count()} linked to practical matters")


def _matters(ctx: DemoContext, branch1: Org | None) -> None:
    """A recurring complaint made a matter (转为实事), through the services as the office would:
    支部1's 路灯 requests become a draft matter of 支部1, and the lift complaints are linked to the
    published matter on lifts (on the public board: its count of requests)."""
    office = ctx.users.get("office")
    if office is None:
        return
    scope = scope_for(office)
    if branch1 is not None:
        lamps = list(Request.objects.filter(org=branch1, category_3="路灯").order_by("received_at")[:5])
        if lamps:
            requests_to_matter(reqs=lamps, scope=scope, actor=office, org=branch1, title="小区门口路灯集中整治",
                               description="群众多次反映小区门口路灯不亮,排查线路、更换灯具,建立巡查机制。")
    lifts = list(Request.objects.filter(category_3="电梯", org__isnull=False).order_by("received_at")[:12])
    matter = practical_selectors.board().filter(title__contains="电梯").first()
    if lifts and matter is not None:
        requests_link_matter(reqs=lifts, scope=scope, actor=office, matter=matter)
