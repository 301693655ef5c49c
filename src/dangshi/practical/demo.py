"""Demo: the district's practical-matter catalogue with the 2021 云溪区 figures (28 key and
146 general matters), leaders' and members' claims, milestones and progress (开工率 near 90%),
members' deeds (帮办事务 600+, 急难愁盼 1,400+, 矛盾纠纷 320) and residents' ratings.

Rows are bulk-inserted in their final state (the services would log 10,000 transitions one
by one); each matter still gets its transition history so that pages read as they would.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangshi.core.crypto import digest
from dangshi.core.demo import DemoContext
from dangshi.orgs.choices import MemberCategory
from dangshi.orgs.selectors import member_subtree, org_subtree
from dangshi.practical.models import (
    Claim,
    ClaimRole,
    Deed,
    DeedCategory,
    DeedStatus,
    Evidence,
    Field,
    Level,
    Matter,
    Milestone,
    ProgressReport,
    Rating,
    State,
    Tier,
    Transition,
)
from dangshi.practical.rules import weighted_progress

KEY_MATTERS, GENERAL_MATTERS = 28, 146
DEEDS = {DeedCategory.HELP: 640, DeedCategory.URGENT: 1430, DeedCategory.DISPUTE: 324}
TITLES = {
    Field.INDUSTRY: ["园区企业物流通道改造", "为中小企业解决融资对接难题", "企业用工招聘专场服务", "产业园区道路提质",
                     "重点项目要素保障专班", "企业开办一网通办"],
    Field.ECOLOGY: ["水上公园环境专项整治", "黑臭水体治理", "背街小巷垃圾分类提质", "沿江岸线生态修复",
                    "城区裸露黄土复绿", "农村生活污水处理设施建设"],
    Field.RURAL: ["山塘硬化引水工程", "农村公路提质改造", "村级集体经济产业项目", "高标准农田建设",
                  "农产品冷链仓储建设", "农村人居环境整治"],
    Field.LIVELIHOOD: ["老旧小区加装电梯", "社区居家养老服务站建设", "背街小巷路灯亮化", "小区停车难治理",
                       "社区义诊义剪进家门", "农贸市场提质改造", "学校周边交通安全改造", "社区食堂建设",
                       "老旧小区雨污分流改造", "公共厕所新建改建"],
    Field.SAFETY: ["违章建设集中拆除", "老旧小区消防通道整治", "燃气管道隐患排查整改", "道路交通安全隐患整治",
                   "防汛排涝设施改造"],
    Field.PARTY: ["党群服务中心功能提升", "红色教育阵地建设", "流动党员之家建设", "两新组织党建阵地建设"],
}
FIELD_WEIGHTS = {Field.INDUSTRY: 2, Field.ECOLOGY: 2, Field.RURAL: 2, Field.LIVELIHOOD: 6, Field.SAFETY: 2,
                 Field.PARTY: 1}
MILESTONES = ["方案制定", "立项审批", "开工建设", "主体完工", "验收交付"]
DEED_TITLES = {
    DeedCategory.HELP: ["帮独居老人代办医保报销", "帮居民办理社保认证", "帮企业代办营业执照变更", "帮困难家庭申请低保",
                        "帮残疾人代办证件", "帮老人预约就医挂号"],
    DeedCategory.URGENT: ["解决楼道照明损坏问题", "解决小区停水问题", "疏通堵塞下水道", "修复破损人行道",
                          "协调解决学生入学问题", "协调解决老人就医陪护"],
    DeedCategory.DISPUTE: ["调解邻里噪音纠纷", "化解物业费纠纷", "调解宅基地边界纠纷", "调处劳资纠纷",
                           "调解家庭赡养纠纷"],
}
# A 1×1 PNG: every demo evidence record points at this one stored file.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201aa0d1c5d0000000049454e44ae426082")


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("practical")
    today = ctx.today
    year_start = ctx.campaign.starts_on
    streets = list(org_subtree(root="").filter(depth=1).order_by("path"))
    committees = list(org_subtree(root="", grassroots=True).filter(depth=2).order_by("path"))
    evidence_path = default_storage.save("practical/evidence/demo/现场照片.png", ContentFile(_PNG))
    fields = [f for f, w in FIELD_WEIGHTS.items() for _ in range(w)]

    def window(key: bool):
        # Most matters run within the campaign year; a few started late, so some are not yet begun.
        start = year_start + timedelta(days=rng.randint(30, 150))
        end = start + timedelta(days=rng.randint(120 if key else 60, 300 if key else 200))
        return start, min(end, ctx.campaign.ends_on)

    matters: list[Matter] = []
    for i in range(KEY_MATTERS + GENERAL_MATTERS):
        key = i < KEY_MATTERS
        field = rng.choice(fields)
        if key:
            owner = ctx.root if i % 3 == 0 else rng.choice(streets)
            level = rng.choice([Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.DISTRICT])
        else:
            owner = rng.choice(committees) if rng.random() < 0.7 else rng.choice(streets)
            level = Level.UNIT
        start, end = window(key)
        place = owner.name.removeprefix("中共").removesuffix("委员会").removesuffix("工作")
        matters.append(Matter(
            campaign=ctx.campaign, org=owner, tier=Tier.KEY if key else Tier.GENERAL, level=level, field=field,
            title=f"{place}{rng.choice(TITLES[field])}"[:120], description=_description(field, place),
            planned_start=start, planned_end=end, budget=Decimal(rng.randint(5, 800 if key else 120)),
            location=place, claimant_cap=rng.choice([None, None, 5, 8]) if not key else None,
            state=State.PUBLISHED, tolerance=10))
    Matter.objects.bulk_create(matters)
    _progress(ctx, rng, matters, today, evidence_path)
    _sub_matters(ctx, rng, matters[:3], today)
    _claims(ctx, rng, matters)
    _deeds(ctx, rng, today, evidence_path)
    _ratings(rng, matters)
    counted = Matter.objects.filter(campaign=ctx.campaign, parent__isnull=True)
    started = counted.filter(started_on__isnull=False).count()
    ctx.log(f"  practical: {counted.filter(tier=Tier.KEY).count()} key + {counted.filter(tier=Tier.GENERAL).count()}"
            f" general matters, 开工 {started}, {Claim.objects.count()} claims, {Deed.objects.count()} deeds")


def _description(field, place):
    return f"围绕{Field(field).label}领域群众反映集中的问题,由{place}牵头组织实施,按节点推进、按月报告进展。"


def _progress(ctx, rng, matters, today, evidence_path):
    """Give each matter a state consistent with its dates: ~90% of those due to start have started."""
    office = ctx.users.get("office")
    milestones, reports, transitions, done_reports = [], [], [], []
    for m in matters:
        span = max(1, (m.planned_end - m.planned_start).days)
        for k, title in enumerate(MILESTONES):
            due = m.planned_start + timedelta(days=span * k // (len(MILESTONES) - 1))
            milestones.append(Milestone(matter=m, title=title, due_on=due, done_on=due if due <= today and
                                        rng.random() < 0.85 else None))
        trail = [State.DRAFT, State.PUBLISHED]
        roll = rng.random()
        if m.planned_start > today or roll < 0.08:
            m.state = State.CLAIMED if rng.random() < 0.7 else State.PUBLISHED
        else:
            m.started_on = min(today, m.planned_start + timedelta(days=rng.randint(0, 20)))
            elapsed = min(1.0, (today - m.planned_start).days / span)
            m.progress = max(5, min(100, round(100 * elapsed + rng.randint(-25, 15))))
            if today > m.planned_end and rng.random() < 0.8 or m.progress >= 100:
                m.state, m.progress = (State.VERIFIED if rng.random() < 0.6 else State.COMPLETED), 100
                m.completed_on = min(today, m.planned_end - timedelta(days=rng.randint(0, 15)))
                if m.state == State.VERIFIED:
                    m.verified_on = min(today, m.completed_on + timedelta(days=7))
            elif rng.random() < 0.03:
                m.state = State.ADJUSTED
            else:
                m.state = State.IN_PROGRESS
            trail += [State.CLAIMED, State.IN_PROGRESS]
            for pct in sorted({max(1, m.progress // 3), max(1, 2 * m.progress // 3), m.progress}):
                reports.append(ProgressReport(matter=m, percent=pct, note=f"完成年度计划的 {pct}%,按节点推进。",
                                              reported_on=min(today, m.started_on + timedelta(days=pct)),
                                              actor=office))
                if pct == 100:
                    done_reports.append(reports[-1])
        if m.state in (State.COMPLETED, State.VERIFIED, State.ADJUSTED):
            trail.append(State.COMPLETED if m.state != State.ADJUSTED else State.ADJUSTED)
        if m.state == State.VERIFIED:
            trail.append(State.VERIFIED)
        if m.state == State.CLAIMED:
            trail.append(State.CLAIMED)
        transitions += [Transition(matter=m, from_state=a, to_state=b, actor=office,
                                   reason="进度滞后,申请延期" if b == State.ADJUSTED else "")
                        for a, b in zip(trail, trail[1:], strict=False)]
    Matter.objects.bulk_update(matters, ["state", "progress", "started_on", "completed_on", "verified_on"])
    Milestone.objects.bulk_create(milestones)
    ProgressReport.objects.bulk_create(reports)
    Evidence.objects.bulk_create(Evidence(report=r, file=evidence_path, name="现场照片.png") for r in done_reports)
    Transition.objects.bulk_create(transitions)


def _sub_matters(ctx, rng, parents, today):
    """Three key matters are split into weighted sub-matters; their progress is the weighted mean."""
    for parent in parents:
        if parent.state not in (State.IN_PROGRESS, State.ADJUSTED):
            continue
        kids = []
        for k, (suffix, weight) in enumerate([("一期", 3), ("二期", 2), ("配套工程", 1)]):
            kids.append(Matter(
                campaign=parent.campaign, org=parent.org, parent=parent, weight=weight, tier=parent.tier,
                level=parent.level, field=parent.field, title=f"{parent.title}({suffix})"[:120],
                planned_start=parent.planned_start, planned_end=parent.planned_end, state=State.IN_PROGRESS,
                started_on=parent.started_on, progress=min(100, max(0, parent.progress + (10, 0, -20)[k]))))
        Matter.objects.bulk_create(kids)
        parent.progress = weighted_progress([(c.weight, c.progress) for c in kids])
        parent.save(update_fields=["progress"])


def _claims(ctx, rng, matters):
    """Leaders lead matters of their district or street; ~8% have not claimed yet (they show in
    the office's "must still claim" list). Cadres lead some alone; ordinary members join."""
    open_states = {State.CLAIMED, State.IN_PROGRESS, State.COMPLETED, State.VERIFIED, State.ADJUSTED}
    leaf = [m for m in matters if m.state in open_states and not m.children.exists()]
    street = 2 * settings.ORG_PATH_STEP  # the path prefix of a street (depth 1)
    by_street: dict[str, list[Matter]] = {}
    for m in leaf:
        by_street.setdefault(m.org.path[:street], []).append(m)
    district = [m for m in leaf if m.org_id == ctx.root.pk]
    members = list(member_subtree(root="").values_list("pk", "category", "org__path", "user_id"))
    claims, count = [], dict.fromkeys((m.pk for m in matters), 0)
    taken: set[tuple[int, int]] = set()
    has_lead: set[int] = set()

    def add(matter, member_pk, role):
        if (matter.pk, member_pk) in taken or (matter.claimant_cap and count[matter.pk] >= matter.claimant_cap):
            return False
        taken.add((matter.pk, member_pk))
        count[matter.pk] += 1
        claims.append(Claim(matter=matter, member_id=member_pk, role=role))
        if role == ClaimRole.LEAD:
            has_lead.add(matter.pk)
        return True

    def options(path):
        return [m for m in by_street.get(path[:street], []) + district if path.startswith(m.org.path)]

    for pk, category, path, _user in members:
        if category == MemberCategory.LEADER and rng.random() > 0.08:
            pool = options(path)
            if pool:
                add(rng.choice(pool), pk, ClaimRole.LEAD)
    for pk, category, path, _user in members:
        if category == MemberCategory.CADRE and rng.random() < 0.35:
            pool = options(path)
            if pool:
                add(rng.choice(pool), pk, ClaimRole.LEAD)
    for m in leaf:  # a matter without a lead is led by its owner org's secretary-level cadre
        if m.pk not in has_lead:
            cadre = next((r for r in members if r[1] == MemberCategory.CADRE and r[2].startswith(m.org.path)), None)
            if cadre:
                add(m, cadre[0], ClaimRole.LEAD)
    for pk, category, path, user_id in members:
        if category == MemberCategory.ORDINARY and (rng.random() < 0.12 or user_id):
            pool = [m for m in options(path) if m.pk in has_lead]
            if pool:
                add(rng.choice(pool), pk, ClaimRole.JOINT)
    Claim.objects.bulk_create(claims, batch_size=2000)
    for m in matters:
        m.claim_count = count[m.pk]
        if m.state == State.CLAIMED and not count[m.pk]:
            m.state = State.PUBLISHED
    Matter.objects.bulk_update(matters, ["claim_count", "state"])


def _deeds(ctx, rng, today, evidence_path):
    members = list(member_subtree(root="").values_list("pk", "org_id"))
    office = ctx.users.get("office")
    start = ctx.campaign.starts_on
    days = max(1, (today - start).days)
    deeds = []
    for category, n in DEEDS.items():
        for _ in range(n):
            pk, org_id = rng.choice(members)
            status = DeedStatus.CONFIRMED if rng.random() < 0.9 else DeedStatus.PENDING
            deeds.append(Deed(member_id=pk, org_id=org_id, category=category, title=rng.choice(DEED_TITLES[category]),
                              description="经支部核实,群众反映满意。", beneficiaries=rng.choice([1, 1, 1, 2, 3, 5, 12]),
                              happened_on=start + timedelta(days=rng.randint(0, days)), status=status,
                              evidence=evidence_path if rng.random() < 0.3 else "",
                              decided_by=office if status == DeedStatus.CONFIRMED else None))
    # Pending ones in branch1 so its secretary has something to confirm.
    b1_members = list(member_subtree(root=ctx.orgs["branch1"], active=None).filter(org=ctx.orgs["branch1"]).values_list("pk", flat=True)[:3])
    for k, pk in enumerate(b1_members):
        deeds.append(Deed(member_id=pk, org=ctx.orgs["branch1"], category=list(DEEDS)[k % 3],
                          title=DEED_TITLES[list(DEEDS)[k % 3]][0], beneficiaries=1 + k, happened_on=today,
                          status=DeedStatus.PENDING))
    Deed.objects.bulk_create(deeds, batch_size=2000)


def _ratings(rng, matters):
    ratings = []
    for m in matters:
        if m.state not in (State.COMPLETED, State.VERIFIED):
            continue
        for k in range(rng.randint(5, 40)):
            score = 5 if rng.random() < 0.8 else rng.choice([3, 4, 4, 2])
            ratings.append(Rating(matter=m, voter_digest=digest(f"practical-demo:{m.pk}:{k}"), score=score))
    Rating.objects.bulk_create(ratings, batch_size=2000)

