"""Demo outreach: 256 lecturers (the 蔡甸区 figure), a 宣讲团 with 5 分团 each answerable for
a zone (分片包干), a season (six months) of sessions with some gaps, and activities with
sign-ins. Everything is drawn from ctx.rng_for("outreach") and bulk-inserted."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from dangshi.core.demo import DemoContext
from dangshi.core.names import person_name
from dangshi.orgs.selectors import member_subtree, org_child_list, org_subtree
from dangshi.outreach.coverage import month_add, months_ending
from dangshi.outreach.models import (
    Activity,
    ActivityKind,
    Attendance,
    CoverageTarget,
    LectureGroup,
    Lecturer,
    LecturerKind,
    LetterSequence,
    Session,
    SessionOrg,
    VenueKind,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

LECTURERS = 256
YOUTH = 27  # 青年宣讲员 appointed with a letter, as 蔡甸区 reported
TOPICS = [
    "百年党史中的初心使命", "伟大建党精神的时代内涵", "从党史中汲取奋进力量", "红船精神与首创精神", "井冈山精神代代传",
    "长征精神永放光芒", "延安精神与党的作风建设", "抗美援朝精神", "改革开放史中的创新实践", "新时代伟大成就",
    "学史明理:马克思主义为什么行", "学史增信:中国特色社会主义为什么好", "学史崇德:革命先辈的崇高品德",
    "学史力行:我为群众办实事", "身边的老党员故事", "社区治理中的党建引领", "乡村振兴中的党员担当", "党史中的廉政故事",
]
SPECIALTIES = ["中共党史", "新中国史", "改革开放史", "社会主义发展史", "革命故事", "理论政策", "乡村振兴", "基层治理", "廉政教育", "红色文化"]
PLACES = ["党群服务中心", "新时代文明实践站", "社区会议室", "村委会议室", "企业职工之家", "学校报告厅", "机关会议室", "广场"]
PLATFORMS = ["学习强国", "视频号", "抖音", "区融媒体中心"]
KIND_MIX = [LecturerKind.MEMBER] * 8 + [LecturerKind.VETERAN] * 4 + [LecturerKind.HISTORIAN] * 2 + [
    LecturerKind.TEACHER] * 3 + [LecturerKind.FIVE_OLD] * 2 + [LecturerKind.RED_ARMY]
ZONES = [("第一分团", ["street1", "street2"]), ("第二分团", ["street3", "street4"]), ("第三分团", ["street5", "street6"]),
         ("第四分团", ["agencies"]), ("第五分团", ["two_new"])]


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _zone_roots(ctx: DemoContext) -> dict[str, Org]:
    roots = {f"street{i}": ctx.orgs[f"street{i}"] for i in range(1, 7)}
    others = [o for o in org_child_list(org=ctx.root) if o.pk not in {r.pk for r in roots.values()}]
    roots["agencies"], roots["two_new"] = others[0], others[1]
    return roots


def build(ctx: DemoContext) -> None:
    rng = ctx.rng_for("outreach")
    today = ctx.today
    roots = _zone_roots(ctx)
    grassroots = list(org_subtree(root="", grassroots=True).order_by("path").only("id", "path", "name"))
    with transaction.atomic():
        CoverageTarget.objects.create(campaign=ctx.campaign, min_sessions=1)
        head = LectureGroup.objects.create(campaign=ctx.campaign, org=ctx.root, name="区委党史学习教育宣讲团")
        groups, zone_of = [], {}
        for i, (name, keys) in enumerate(ZONES):
            group = LectureGroup.objects.create(campaign=ctx.campaign, org=ctx.root, parent=head, name=name, position=i + 1)
            zone = [o for o in grassroots if any(o.path.startswith(roots[k].path) for k in keys)]
            group.zone.set(zone)
            groups.append((group, zone))
            for o in zone:
                zone_of[o.pk] = i
        youth_group = LectureGroup.objects.create(campaign=ctx.campaign, org=ctx.root, parent=groups[0][0],
                                                  name="青年宣讲小组", position=9)
        lecturers = _lecturers(ctx, rng, groups, youth_group)
        sessions = _sessions(ctx, rng, today, groups, lecturers)
        activities = _activities(ctx, rng, today)
    ctx.log(f"  outreach: {len(lecturers)} lecturers, {len(groups)} groups, {sessions} sessions, {activities} activities")


def _lecturers(ctx, rng, groups, youth_group) -> list[Lecturer]:
    appointed = ctx.today.replace(month=3, day=1) if ctx.today.month >= 3 else ctx.today.replace(day=1)
    rows = []
    for n in range(1, LECTURERS + 1):
        youth = n > LECTURERS - YOUTH
        kind = LecturerKind.YOUTH if youth else rng.choice(KIND_MIX)
        group = youth_group if youth else groups[(n - 1) % len(groups)][0]
        rows.append(Lecturer(
            org=ctx.root, name=person_name(rng, rng.choice("MF")), kind=kind, group=group,
            specialty="、".join(rng.sample(SPECIALTIES, 2)), title="" if youth else rng.choice(["", "退休教师", "党校讲师", "社区书记", "老干部"]),
            letter_no=f"宣聘〔{appointed.year}〕{n:04d}号", appointed_on=appointed,
            term_ends_on=appointed.replace(year=appointed.year + 2) - timedelta(days=1),
        ))
    Lecturer.objects.bulk_create(rows)
    LetterSequence.objects.update_or_create(year=appointed.year, defaults={"last": LECTURERS})
    demo_user = ctx.users.get("lecturer1")
    if demo_user is not None:
        Lecturer.objects.filter(pk=rows[0].pk).update(user=demo_user)
    return list(Lecturer.objects.filter(org=ctx.root).order_by("id"))


def _sessions(ctx, rng, today, groups, lecturers) -> int:
    venues = {v.code: v for v in VenueKind.objects.all()}
    by_group: dict[int, list[Lecturer]] = {}
    for lecturer in lecturers:
        by_group.setdefault(lecturer.group_id, []).append(lecturer)
    months = months_ending(today.replace(day=1), 6)
    # Some orgs fall behind: a few never covered lately, more missing this month (still in progress).
    laggards = {o.pk for _, zone in groups for o in rng.sample(zone, max(1, len(zone) // 25))}
    plans = []  # (session, covered orgs, lecturers)
    for month in months:
        last_day = min(today, month_add(month, 1) - timedelta(days=1))
        share = 0.55 if month == months[-1] else 0.93
        for i, (group, zone) in enumerate(groups):
            todo = [o for o in zone if rng.random() < share and not (o.pk in laggards and month >= months[-2])]
            rng.shuffle(todo)
            team = by_group.get(group.pk) or lecturers
            while todo:
                k = rng.choice((1, 1, 2, 3))
                covered, todo = todo[:k], todo[k:]
                day = month + timedelta(days=rng.randint(0, (last_day - month).days))
                online = rng.random() < 0.2
                venue = venues["internet"] if online and rng.random() < 0.5 else venues[
                    rng.choice(["community", "village", "office", "enterprise", "school", "community"])] if i < 3 else venues[
                    "office" if i == 3 else "enterprise"]
                session = Session(
                    org=covered[0], campaign=ctx.campaign, starts_at=_local(day, rng.choice((9, 10, 14, 15, 19)), rng.choice((0, 30))),
                    venue_kind=venue, place=rng.choice(PLACES), topic=rng.choice(TOPICS),
                    audience_offline=rng.randint(25, 180), audience_online=rng.randint(200, 8000) if online else 0,
                    online_platform=rng.choice(PLATFORMS) if online else "",
                )
                plans.append((session, covered, rng.sample(team, min(len(team), rng.choice((1, 1, 2))))))
    Session.objects.bulk_create([p[0] for p in plans], batch_size=1000)
    covered_rows, lecturer_rows = [], []
    Through = Session.lecturers.through
    for session, covered, team in plans:
        month = timezone.localtime(session.starts_at).date().replace(day=1)
        covered_rows += [SessionOrg(session_id=session.pk, org_id=o.pk, month=month) for o in covered]
        lecturer_rows += [Through(session_id=session.pk, lecturer_id=lecturer.pk) for lecturer in team]
    SessionOrg.objects.bulk_create(covered_rows, batch_size=2000)
    Through.objects.bulk_create(lecturer_rows, batch_size=2000)
    return len(plans)


def _activities(ctx, rng, today) -> int:
    """夜学、读书班、主题党日… for the first community's branches over three months, with sign-ins;
    and tonight's 夜学 at branch1, so the QR sign-in can be tried."""
    branch1 = ctx.orgs["branch1"]
    branches = list(org_child_list(org=branch1.parent).filter(grassroots=True))
    members = {}
    for m in member_subtree(root="").filter(org__in=branches).values_list("id", "org_id"):
        members.setdefault(m[1], []).append(m[0])
    kinds = [ActivityKind.PARTY_DAY, ActivityKind.NIGHT_STUDY, ActivityKind.READING, ActivityKind.SCREENING]
    titles = {ActivityKind.PARTY_DAY: "主题党日:重温入党誓词", ActivityKind.NIGHT_STUDY: "“周四夜学”党史专题",
              ActivityKind.READING: "《中国共产党简史》读书班", ActivityKind.SCREENING: "红色电影《觉醒年代》放映"}
    plans = []
    for month in months_ending(today.replace(day=1), 3):
        for branch in branches:
            for kind in rng.sample(kinds, 2):
                day = month + timedelta(days=rng.randint(0, 27))
                if day >= today:
                    continue
                plans.append(Activity(org=branch, kind=kind, title=titles[kind], starts_at=_local(day, 19 if kind == ActivityKind.NIGHT_STUDY else 9),
                                      place="党群服务中心", audience_offline=0))
    plans.append(Activity(org=branch1, kind=ActivityKind.NIGHT_STUDY, title="“周四夜学”:伟大建党精神",
                          starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=10), place="党群服务中心",
                          signin_minutes=120))
    present = [[m for m in members.get(a.org_id, []) if rng.random() < 0.78] for a in plans[:-1]]
    for activity, who in zip(plans, present, strict=False):
        activity.audience_offline = len(who)
    Activity.objects.bulk_create(plans, batch_size=1000)
    rows = [Attendance(activity_id=a.pk, member_id=m, signed_at=a.starts_at + timedelta(minutes=rng.randint(-20, 10)))
            for a, who in zip(plans, present, strict=False) for m in who]
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(plans)
