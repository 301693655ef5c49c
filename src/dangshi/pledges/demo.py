"""Demo data for 承诺践诺: member commitments across the district in every state, with
progress and ratings; 165 unit commitments of the district's agencies (the figure 淄博高新区
reported); and the 履新九个一 checklist for every village and community committee."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from dangshi.core.crypto import digest
from dangshi.core.demo import DemoContext
from dangshi.orgs.choices import OrgKind
from dangshi.orgs.selectors import member_subtree, org_child_list, org_subtree
from dangshi.pledges import grading
from dangshi.pledges.models import (
    Checklist,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTick,
    Pledge,
    PledgeItem,
    PledgeProgress,
    PledgeRating,
    PledgeRound,
    RaterKind,
    State,
    UnitPledge,
    UnitProgress,
    UnitState,
)
from dangshi.pledges.services_units import LUXIN_NINE

ITEMS = {
    "study": [("读完《中国共产党简史》并撰写心得", "心得体会 1 篇"), ("每天登录学习平台完成每日答题", "全年答题不少于 300 天"),
              ("参加支部集中学习", "全年缺勤不超过 1 次"), ("讲一堂党史微党课", "面向居民宣讲 1 次")],
    "service": [("结对帮扶困难群众", "每月走访 1 次"), ("参加社区志愿服务", "全年服务不少于 40 小时"),
                ("为楼栋居民代办事项", "代办 10 件以上"), ("参与垃圾分类督导", "每周值守 1 次"),
                ("收集居民急难愁盼问题", "反映问题 5 条并跟踪办结")],
    "post": [("立足岗位攻坚一项业务难题", "形成改进方案并落地"), ("提升窗口服务满意度", "满意率 98% 以上"),
             ("带好一名青年同事", "结对帮带 1 人"), ("按期完成年度重点任务", "全部按期办结")],
    "integrity": [("严守廉洁纪律", "全年零违纪"), ("带头落实中央八项规定精神", "无违规情形"),
                  ("家风家教建设", "参加廉洁家庭活动 1 次")],
}
STATE_WEIGHTS = [
    (State.DRAFT, 8), (State.SUBMITTED, 10), (State.RETURNED, 4), (State.APPROVED, 5), (State.REJECTED, 2),
    (State.PUBLISHED, 12), (State.FULFILLING, 25), (State.FULFILMENT_SUBMITTED, 8), (State.RATING_OPEN, 10),
    (State.RATED, 10), (State.ARCHIVED, 6),
]
PROGRESS_NOTES = ["已按计划推进", "完成阶段任务", "走访 3 户困难群众", "组织志愿服务 1 次", "提交学习心得"]
EVIDENCE = ["活动照片 2 张", "签到表", "学习笔记扫描件", "居民回执", "工作台账"]
UNIT_ITEMS = [
    ("压缩审批时限", "优化营商环境", "承诺时限压缩 30%"), ("开展“局长走流程”", "提升服务效能", "每季度 1 次"),
    ("推行“一次办好”", "便民服务", "高频事项全部一次办结"), ("办好民生实事", "群众满意", "年底前全部办结"),
    ("开展政策进企业", "服务企业", "走访企业 50 家"), ("建立问题清单销号制度", "作风建设", "问题全部销号"),
    ("领导干部下沉社区", "基层治理", "每月 1 次"), ("12345 诉求按期办结", "诉求办理", "按期办结率 98%"),
]


def _weighted_state(rng) -> str:
    roll = rng.uniform(0, sum(w for _, w in STATE_WEIGHTS))
    for state, weight in STATE_WEIGHTS:
        roll -= weight
        if roll <= 0:
            return state
    return State.FULFILLING


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("pledges")
    year = ctx.today.year
    with transaction.atomic():
        round_ = PledgeRound.objects.create(
            org=ctx.root, title=f"{year} 年度党员“五诺”承诺", year=year, commit_by=date(year, 3, 31), rating_days=14,
            weight_self=20, weight_peer=30, weight_public=50,
        )
        n = _member_pledges(ctx, rng, round_)
        units = _unit_lists(ctx, rng)
        orgs = _checklist(ctx, rng)
    ctx.log(f"  pledges: {n} member commitments, {units} unit commitments, 履新九个一 for {orgs} committees")


def _member_pledges(ctx: DemoContext, rng, round_: PledgeRound) -> int:
    today = ctx.today
    members = list(member_subtree(root="").order_by("id").values_list("id", "org_id"))
    member1 = ctx.users["member1"].member.pk if "member1" in ctx.users else None
    branch1 = ctx.orgs["branch1"].pk if "branch1" in ctx.orgs else None
    chosen = []
    branch1_states = iter(s for s, _ in STATE_WEIGHTS)  # branch1 shows every state
    for member_id, org_id in members:
        if member_id == member1:
            chosen.append((member_id, org_id, State.FULFILLING))
        elif org_id == branch1:
            chosen.append((member_id, org_id, next(branch1_states, None) or _weighted_state(rng)))
        elif rng.random() < 0.45:
            chosen.append((member_id, org_id, _weighted_state(rng)))
    now = timezone.now()
    pledges = []
    for member_id, org_id, state in chosen:
        p = Pledge(round=round_, member_id=member_id, org_id=org_id, state=state)
        if state in (State.RETURNED, State.REJECTED):
            p.review_comment = rng.choice(["承诺事项过于笼统,请写明可衡量的成果", "完成时限不明确,请细化",
                                           "与岗位职责结合不够,请修改"])
            p.reviewed_at = now
        elif state not in (State.DRAFT, State.SUBMITTED):
            p.review_comment = rng.choice(["同意", "承诺具体可行,同意公示", ""])
            p.reviewed_at = now
        if state in (State.PUBLISHED, State.FULFILLING, State.FULFILMENT_SUBMITTED, State.RATING_OPEN, State.RATED,
                     State.ARCHIVED):
            p.review_released, p.published_at = True, now
        if state in (State.FULFILMENT_SUBMITTED, State.RATING_OPEN, State.RATED, State.ARCHIVED):
            p.fulfilment_summary = "承诺事项已全部完成,佐证材料已上传。"
        if state in (State.RATING_OPEN, State.RATED, State.ARCHIVED):
            p.rating_closes_on = today + timedelta(days=rng.randint(-20, 14))
        pledges.append(p)
    Pledge.objects.bulk_create(pledges, batch_size=2000)
    items, progress, ratings = [], [], []
    weights = grading.round_weights(round_)
    for p in pledges:
        categories = rng.sample(list(ITEMS), k=min(4, rng.randint(2, 5)))
        if len(categories) < 5 and rng.random() < 0.2:
            categories.append("service")
        late = p.state in (State.RATING_OPEN, State.RATED, State.ARCHIVED, State.FULFILMENT_SUBMITTED)
        for pos, cat in enumerate(categories, start=1):
            what, measure = rng.choice(ITEMS[cat])
            items.append(PledgeItem(pledge=p, position=pos, what=what, measure=measure, category=cat,
                                    due_on=today + timedelta(days=rng.randint(-30, 200)), done=late))
        if p.state in (State.FULFILLING, State.FULFILMENT_SUBMITTED, State.RATING_OPEN, State.RATED, State.ARCHIVED):
            for _ in range(rng.randint(1, 3)):
                progress.append(PledgeProgress(pledge=p, note=rng.choice(PROGRESS_NOTES), evidence=rng.choice(EVIDENCE),
                                               on=today - timedelta(days=rng.randint(1, 90))))
        if p.state in (State.RATING_OPEN, State.RATED, State.ARCHIVED):
            mine = [(RaterKind.SELF, rng.choice([100, 100, 80]))]
            mine += [(RaterKind.PEER, rng.choice([100, 80, 80, 60])) for _ in range(rng.randint(1, 3))]
            mine += [(RaterKind.PUBLIC, rng.choice([100, 100, 80, 60, 40])) for _ in range(rng.randint(1, 3))]
            for n, (kind, points) in enumerate(mine):
                label = next(k for k, v in grading.GRADES.items() if v == points)
                # Demo raters have no accounts: each stands for one distinct phone, kept as a digest only.
                ratings.append(PledgeRating(pledge=p, kind=kind, points=points, label=label,
                                            phone_digest=digest(f"demo-rater:{p.pk}:{n}")))
            if p.state != State.RATING_OPEN:
                p.grade_score = grading.weighted_score(weights=weights, ratings=mine)
                p.grade = grading.grade_label(p.grade_score)
    PledgeItem.objects.bulk_create(items, batch_size=5000)
    PledgeProgress.objects.bulk_create(progress, batch_size=5000)
    PledgeRating.objects.bulk_create(ratings, batch_size=5000)
    Pledge.objects.bulk_update([p for p in pledges if p.grade], ["grade_score", "grade"], batch_size=2000)
    return len(pledges)


def _unit_lists(ctx: DemoContext, rng) -> int:
    """165 commitments listed by the district's 30 agencies (区级部门单位), a year's worth of progress."""
    agencies_root = org_subtree(root="").filter(name="中共红星区直属机关工作委员会").first()
    if agencies_root is None:
        return 0
    units = list(org_child_list(org=agencies_root))
    year, today = ctx.today.year, ctx.today
    counts = [5] * len(units)
    for i in rng.sample(range(len(units)), 165 - 5 * len(units)):
        counts[i] += 1
    rows, updates = [], []
    for org, n in zip(units, counts, strict=True):
        agency = org.name.removeprefix("中共").removesuffix("总支部委员会").removesuffix("支部委员会")
        for pos, (title, target, measure) in enumerate(rng.sample(UNIT_ITEMS, n), start=1):
            roll = rng.random()
            state = UnitState.DONE if roll < 0.45 else UnitState.DRAFT if roll > 0.95 else UnitState.PUBLISHED
            percent = 100 if state == UnitState.DONE else 0 if state == UnitState.DRAFT else rng.choice([20, 40, 60, 80])
            u = UnitPledge(org=org, year=year, title=f"{agency}{title}", target=target, measure=measure,
                           due_on=date(year, 12, 31), state=state, percent=percent, position=pos,
                           result="按期兑现承诺,群众满意。" if state == UnitState.DONE else "",
                           evidence="工作台账、服务对象评价表" if state == UnitState.DONE else "")
            rows.append(u)
    UnitPledge.objects.bulk_create(rows)
    for u in rows:
        if u.percent:
            updates.append(UnitProgress(unit_pledge=u, percent=u.percent, note="按计划推进",
                                        evidence="工作台账", on=today - timedelta(days=rng.randint(1, 60))))
    UnitProgress.objects.bulk_create(updates)
    return len(rows)


def _checklist(ctx: DemoContext, rng) -> int:
    """履新九个一 for every new village/community committee (社区党委 and 村党委 under the streets)."""
    committees = list(org_subtree(root="").filter(kind=OrgKind.COMMITTEE, parent__kind=OrgKind.WORKING_COMMITTEE,
                                                   two_new="").order_by("path"))
    year = ctx.today.year
    checklist = Checklist.objects.create(
        org=ctx.root, title="村(社区)“两委”班子履新九个一", year=year,
        description="新一届“两委”班子履新:一次集中亮相、一份履职承诺、一堂初心党课、一次主题党日、一次廉政谈话、"
                    "一场交接仪式、一次全员轮训、一次民情走访、一件开门实事。",
    )
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=n, title=t) for n, t in enumerate(LUXIN_NINE, start=1))
    ChecklistAssignment.objects.bulk_create(ChecklistAssignment(checklist=checklist, org=o) for o in committees)
    ticks = []
    for org in committees:
        done = rng.randint(5, 9)
        for item in items[:done]:
            ticks.append(ChecklistTick(item=item, org=org, done_on=ctx.today - timedelta(days=rng.randint(1, 120)),
                                       evidence=rng.choice(["会议记录", "活动照片", "签到表", "承诺书扫描件"])))
    ChecklistTick.objects.bulk_create(ticks)
    return len(committees)
