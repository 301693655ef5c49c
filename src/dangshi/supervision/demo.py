"""Demo: the leading group, its office, the 7 working groups, 5 roving guidance groups
with their units, a task list along the roadmap, guidance visits and a competition."""

from datetime import timedelta

from django.db import transaction

from dangshi.core.demo import DemoContext
from dangshi.orgs.selectors import org_child_list
from dangshi.supervision.models import (
    Competition,
    Group,
    GroupKind,
    GroupMember,
    GuidanceAssignment,
    Indicator,
    Priority,
    Rectification,
    Score,
    Task,
    TaskProgress,
    TaskSource,
    Visit,
)

WORKING = [
    ("综合协调组", "统筹协调各项工作,组织每周调度,督办任务清单"),
    ("理论学习组", "组织领导班子专题学习、读书班和学习研讨"),
    ("宣传报道组", "做好宣传报道和舆论引导,发掘先进典型"),
    ("实践活动组", "推进“我为群众办实事”实践活动,建立项目台账"),
    ("简报材料组", "编发工作简报和月度小结,起草总结材料"),
    ("对外联络组", "对接上级指导组,联系驻区单位"),
    ("后勤保障组", "做好会务、经费和后勤保障"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "海燕", "志强", "丽华", "文军", "秀英", "明辉", "晓东", "春梅", "国庆", "红梅", "卫东", "立新", "桂兰", "永刚"]
PHASES = [("动员部署", 0, 30), ("学习教育", 20, 200), ("专题教育", 120, 260), ("总结提升", 280, 350)]
TASKS = [
    "召开党史学习教育动员部署会", "制定党史学习教育实施方案", "印发学习资料和推荐书目", "举办县处级领导干部读书班",
    "开展专题宣讲进基层活动", "组织“学党史 知党恩”知识竞赛", "推进“我为群众办实事”项目清单", "开展“五个一”主题党日",
    "组织参观红色教育基地", "开展党史题材电影展映", "召开专题组织生活会", "编发党史学习教育简报",
    "开展“七一”表彰活动", "组织青年党员讲党史", "开展巡回指导", "开展学习成效评估", "撰写党史学习教育工作总结",
]


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("supervision")
    root = ctx.root
    start = ctx.campaign.starts_on
    streets = [ctx.orgs[k] for k in sorted(ctx.orgs) if k.startswith("street")]
    units = list(org_child_list(org=root))
    with transaction.atomic():
        lead = Group.objects.create(org=root, kind=GroupKind.LEADING, name="党史学习教育领导小组", position=0,
                                    duties="全面领导全区党史学习教育")
        GroupMember.objects.bulk_create([
            GroupMember(group=lead, name=_person(rng), title="区委书记", role="组长", position=0),
            GroupMember(group=lead, name=_person(rng), title="区委副书记、区长", role="副组长", position=1),
            GroupMember(group=lead, name=_person(rng), title="区委常委、组织部部长", role="副组长", position=2),
            GroupMember(group=lead, name=_person(rng), title="区委常委、宣传部部长", role="副组长", position=3),
        ])
        office = Group.objects.create(org=root, kind=GroupKind.OFFICE, name="领导小组办公室", position=1,
                                      duties="办公室设在区委组织部,负责日常工作")
        GroupMember.objects.create(group=office, name=_person(rng), title="区委组织部常务副部长", role="主任")
        groups = {}
        for i, (name, duties) in enumerate(WORKING):
            g = Group.objects.create(org=root, kind=GroupKind.WORKING, name=name, duties=duties, position=10 + i)
            groups[name] = g
            GroupMember.objects.bulk_create([
                GroupMember(group=g, name=_person(rng), title="牵头单位负责同志", role="组长", position=0),
                *(GroupMember(group=g, name=_person(rng), title="工作人员", role="成员", position=j) for j in range(1, 4)),
            ])
        guidance = []
        for i in range(5):
            g = Group.objects.create(org=root, kind=GroupKind.GUIDANCE, name=f"第{'一二三四五'[i]}巡回指导组",
                                     duties="对联系单位开展巡回指导,督促问题整改", position=30 + i)
            GroupMember.objects.bulk_create([
                GroupMember(group=g, name=_person(rng), title="退出现职领导干部", role="组长", position=0),
                GroupMember(group=g, name=_person(rng), title="组织部干部", role="成员", position=1),
            ])
            guidance.append(g)
        GuidanceAssignment.objects.bulk_create(
            GuidanceAssignment(group=guidance[i % 5], org=unit) for i, unit in enumerate(units)
        )

        tasks = []
        for i, title in enumerate(TASKS):
            phase, lo, hi = PHASES[min(i * len(PHASES) // len(TASKS), len(PHASES) - 1)]
            begins = start + timedelta(days=rng.randint(lo, lo + 20))
            due = begins + timedelta(days=rng.randint(20, max(30, hi - lo)))
            task = Task(org=root, title=title, group=rng.choice(list(groups.values())), phase=phase,
                        priority=Priority.HIGH if i % 3 == 0 else Priority.NORMAL, deliverables=rng.choice(
                            ["会议纪要", "实施方案", "工作台账", "活动照片和总结", "简报"]),
                        starts_on=begins, due_on=due, source=TaskSource.IMPORT)
            elapsed = (ctx.today - begins).days / max((due - begins).days, 1)
            task.progress = max(0, min(100, int(elapsed * 100) - rng.choice([0, 0, 10, 40])))
            if task.progress == 100 or (due < ctx.today and rng.random() < 0.7):
                task.progress, task.done_on = 100, min(due, ctx.today)
            tasks.append(task)
        Task.objects.bulk_create(tasks)
        for task in tasks:
            task.orgs.set(rng.sample(streets, k=min(2, len(streets))))
            if task.progress:
                TaskProgress.objects.create(task=task, percent=task.progress, note="按计划推进,已完成阶段性工作。")
        for parent in tasks[:4]:
            Task.objects.create(org=root, parent=parent, title=f"{parent.title}:细化分工", group=parent.group,
                                phase=parent.phase, starts_on=parent.starts_on,
                                due_on=parent.starts_on + timedelta(days=10), progress=100,
                                done_on=min(parent.starts_on + timedelta(days=9), ctx.today))

        for i, unit in enumerate(units[:10]):
            day = min(ctx.today, start + timedelta(days=60 + 7 * i))
            visit = Visit.objects.create(group=guidance[i % 5], org=unit, visited_on=day,
                                         findings="学习计划周密,专题学习扎实。", problems="个别支部学习记录不完整。")
            Rectification.objects.create(visit=visit, title="补齐支部学习记录", due_on=day + timedelta(days=20),
                                         closed_on=day + timedelta(days=15) if i % 2 == 0 else None,
                                         closure_note="已整改到位" if i % 2 == 0 else "")
        comp = Competition.objects.create(org=root, name="六比六赛", starts_on=start, ends_on=ctx.campaign.ends_on,
                                          published=True)
        Indicator.objects.bulk_create([
            Indicator(competition=comp, label="比作为(人均活动)", metric="orgs.members", per_member=False, weight=40),
            Indicator(competition=comp, label="比担当(办公室评分)", metric="", weight=30),
            Indicator(competition=comp, label="比贡献(办公室评分)", metric="", weight=30),
        ])
        Score.objects.bulk_create(
            Score(indicator=ind, org=unit, value=rng.randint(60, 100))
            for ind in comp.indicators.filter(metric="") for unit in units
        )
    ctx.log(f"  supervision: {len(WORKING)} working groups, 5 guidance groups, {len(tasks)} tasks")
