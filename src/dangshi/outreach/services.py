"""Writes for 宣讲与活动: lecturers and letters, groups and zones, sessions, activities, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_subtree
from dangshi.outreach.models import (
    Activity,
    ActivityKind,
    Attendance,
    CoverageTarget,
    LeaveRequest,
    LeaveStatus,
    LectureGroup,
    Lecturer,
    LecturerKind,
    LetterSequence,
    Session,
    SessionFile,
    SessionOrg,
    VenueKind,
)
from dangshi.outreach.selectors import lecturer_choices, signin_window, zone_overlaps

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Member, Org

EDIT_DAYS = 7  # after this, only an admin of the host org may change a session


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def _can_log(scope: Scope, org: Org) -> bool:
    """Admins log for orgs in reach; a lecturer for the orgs under the one they are bound to."""
    return scope.reaches(org) or any(org.path.startswith(p) for p in scope.lecturer_paths)


def _check_session_fields(*, scope, org, venue_kind, topic, place, covered_orgs, lecturers, audience_online, online_platform,
                          kept_lecturers: frozenset[int] = frozenset()):
    """`kept_lecturers`: ids already on the session being changed, allowed even if the host's
    range of lecturers has changed since (a group's zone edited, a lecturer moved)."""
    if not _can_log(scope, org):
        raise Refused(_("您不能为该组织登记宣讲。"))
    if not topic.strip():
        raise Invalid(_("请填写宣讲主题。"), field="topic")
    if not place.strip():
        raise Invalid(_("请填写宣讲地点。"), field="place")
    if not venue_kind.active:
        raise Invalid(_("该宣讲阵地已停用。"), field="venue_kind")
    for covered in covered_orgs:
        if not _can_log(scope, covered) and covered.pk != org.pk:
            raise Refused(_("覆盖组织不在您的范围内:%(name)s") % {"name": covered.name})
    in_range = set(lecturer_choices(org=org).filter(pk__in=[lecturer.pk for lecturer in lecturers]).values_list("pk", flat=True))
    for lecturer in lecturers:
        if lecturer.pk in kept_lecturers:
            continue
        if not lecturer.active:
            raise Invalid(_("宣讲员已解聘:%(name)s") % {"name": lecturer.name}, field="lecturers")
        if lecturer.pk not in in_range:
            raise Invalid(_("宣讲员不在该主办组织的可选范围内:%(name)s") % {"name": lecturer.name}, field="lecturers")
    if audience_online and not online_platform.strip():
        raise Invalid(_("填写线上观看人次时请注明平台。"), field="online_platform")


def _set_covered(session: Session, covered_orgs: Iterable[Org]) -> None:
    month = month_of(session.starts_at)
    session.covered.all().delete()
    SessionOrg.objects.bulk_create(SessionOrg(session=session, org=o, month=month) for o in {o.pk: o for o in covered_orgs}.values())


def session_create(
    *,
    scope: Scope,
    actor,
    org: Org,
    starts_at: datetime,
    venue_kind: VenueKind,
    place: str,
    topic: str,
    lecturers: Iterable[Lecturer] = (),
    covered_orgs: Iterable[Org] = (),
    audience_offline: int = 0,
    audience_online: int = 0,
    online_platform: str = "",
    campaign: Campaign | None = None,
    files: Iterable[tuple[str, object]] = (),
) -> Session:
    """Log a session. `covered_orgs` defaults to the host org; `files` are (kind, uploaded file)."""
    lecturers, covered_orgs = list(lecturers), list(covered_orgs) or [org]
    _check_session_fields(scope=scope, org=org, venue_kind=venue_kind, topic=topic, place=place, covered_orgs=covered_orgs,
                          lecturers=lecturers, audience_online=audience_online, online_platform=online_platform)
    with transaction.atomic():
        session = Session.objects.create(
            org=org, campaign=campaign, starts_at=starts_at, venue_kind=venue_kind, place=place.strip(), topic=topic.strip(),
            audience_offline=audience_offline, audience_online=audience_online, online_platform=online_platform.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        session.lecturers.set(lecturers)
        _set_covered(session, covered_orgs)
        for kind, upload in files:
            SessionFile.objects.create(session=session, kind=kind, file=upload, name=getattr(upload, "name", "")[:120])
        log_event("outreach.session.created", actor=actor, obj=session,
                  data={"covered": len(covered_orgs), "offline": audience_offline, "online": audience_online})
    return session


def session_update(*, scope: Scope, actor, session: Session, now: datetime | None = None, **fields) -> Session:
    """Change a session. Within EDIT_DAYS of logging its author may; after that only an admin
    whose reach includes the host org (the record has gone into the month's figures)."""
    now = now or timezone.now()
    is_admin = scope.is_admin and scope.reaches(session.org)
    if now - session.created_at > timedelta(days=EDIT_DAYS):
        if not is_admin:
            raise Refused(_("登记超过 %(d)d 天的宣讲只能由组织管理员修改。") % {"d": EDIT_DAYS})
    elif not (is_admin or session.created_by_id == getattr(actor, "pk", None)):
        raise Refused(_("只有登记人或组织管理员可以修改这条宣讲。"))
    kept = frozenset(session.lecturers.values_list("pk", flat=True))
    lecturers = list(fields.pop("lecturers", session.lecturers.all()))
    covered = fields.pop("covered_orgs", None)
    values = {k: getattr(session, k) for k in ("starts_at", "venue_kind", "place", "topic", "audience_offline",
                                                "audience_online", "online_platform")}
    values.update(fields)
    covered_list = list(covered) if covered is not None else list(org_subtree(root="").filter(outreach_covered__session=session))
    _check_session_fields(scope=scope, org=session.org, venue_kind=values["venue_kind"], topic=values["topic"],
                          place=values["place"], covered_orgs=covered_list, lecturers=lecturers,
                          audience_online=values["audience_online"], online_platform=values["online_platform"],
                          kept_lecturers=kept)
    with transaction.atomic():
        for key, value in values.items():
            setattr(session, key, value)
        session.save()
        session.lecturers.set(lecturers)
        _set_covered(session, covered_list or [session.org])
        log_event("outreach.session.updated", actor=actor, obj=session, data={"fields": sorted(fields)})
    return session


# -- lecturers, letters, groups ------------------------------------------------------

def lecturer_create(*, scope: Scope, actor, org: Org, name: str, kind: str = LecturerKind.MEMBER, title: str = "",
                    specialty: str = "", group: LectureGroup | None = None, member: Member | None = None) -> Lecturer:
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您不能在该组织登记宣讲员。"))
    if not name.strip():
        raise Invalid(_("请填写姓名。"), field="name")
    if kind not in LecturerKind.values:
        raise Invalid(_("宣讲员类别不正确。"), field="kind")
    with transaction.atomic():
        lecturer = Lecturer.objects.create(org=org, name=name.strip(), kind=kind, title=title, specialty=specialty,
                                           group=group, member=member)
        log_event("outreach.lecturer.created", actor=actor, obj=lecturer, data={"kind": kind})
    return lecturer


def lecturer_appoint(*, scope: Scope, actor, lecturer: Lecturer, on: date, term_years: int = 2) -> Lecturer:
    """Appoint with a numbered letter (聘书): 宣聘〔year〕NNNN号, numbers unique and gapless per year."""
    if not (scope.is_admin and scope.reaches(lecturer.org)):
        raise Refused(_("您不能聘任该宣讲员。"))
    if lecturer.letter_no:
        raise Conflict(_("该宣讲员已发聘书:%(no)s") % {"no": lecturer.letter_no})
    with transaction.atomic():
        # The sequence row is locked so two appointments at once cannot take the same number.
        LetterSequence.objects.get_or_create(year=on.year)
        seq = LetterSequence.objects.select_for_update().get(year=on.year)
        seq.last += 1
        seq.save(update_fields=["last"])
        updated = Lecturer.objects.filter(pk=lecturer.pk, letter_no__isnull=True).update(
            letter_no=f"宣聘〔{on.year}〕{seq.last:04d}号", appointed_on=on,
            term_ends_on=on.replace(year=on.year + term_years) - timedelta(days=1), active=True,
        )
        if not updated:  # another request appointed them first
            raise Conflict(_("该宣讲员已发聘书。"))
        lecturer.refresh_from_db()
        log_event("outreach.lecturer.appointed", actor=actor, obj=lecturer, data={"letter_no": lecturer.letter_no})
    return lecturer


def lecturer_retire(*, scope: Scope, actor, lecturer: Lecturer) -> Lecturer:
    if not (scope.is_admin and scope.reaches(lecturer.org)):
        raise Refused(_("您不能解聘该宣讲员。"))
    with transaction.atomic():
        Lecturer.objects.filter(pk=lecturer.pk).update(active=False)
        lecturer.active = False
        log_event("outreach.lecturer.retired", actor=actor, obj=lecturer)
    return lecturer


def group_create(*, scope: Scope, actor, campaign: Campaign, org: Org, name: str, parent: LectureGroup | None = None,
                 zone: Iterable[Org] = ()) -> LectureGroup:
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您不能在该组织组建宣讲团。"))
    if parent is not None and parent.campaign_id != campaign.pk:
        raise Invalid(_("上级宣讲团不属于同一学习教育活动。"), field="parent")
    with transaction.atomic():
        group = LectureGroup.objects.create(campaign=campaign, org=org, name=name.strip(), parent=parent)
        group_set_zone(scope=scope, actor=actor, group=group, orgs=zone)
        log_event("outreach.group.created", actor=actor, obj=group)
    return group


def _check_zone_editor(scope: Scope, group: LectureGroup) -> None:
    if not (scope.is_admin and scope.reaches(group.org)):
        raise Refused(_("您不能调整该宣讲组的包干片区。"))


def _check_zone_orgs(scope: Scope, group: LectureGroup, orgs: list[Org]) -> None:
    for org in orgs:
        if not org.path.startswith(group.org.path) or not scope.reaches(org):
            raise Invalid(_("片区组织须在宣讲团组建单位之下,且在您的管理范围内:%(name)s") % {"name": org.name}, field="zone")


def group_set_zone(*, scope: Scope, actor, group: LectureGroup, orgs: Iterable[Org]) -> LectureGroup:
    orgs = list(orgs)
    _check_zone_editor(scope, group)
    _check_zone_orgs(scope, group, orgs)
    with transaction.atomic():
        group.zone.set(orgs)
        log_event("outreach.group.zoned", actor=actor, obj=group, data={"orgs": len(orgs)})
    return group


def group_zone_add(*, scope: Scope, actor, group: LectureGroup, orgs: Iterable[Org]) -> dict[int, list[str]]:
    """Add grass-roots orgs to the group's zone (分片包干). An org may sit in two zones (the
    office decides), so sharing is not refused: the other groups are returned, per org id,
    for the page to warn about, and written into the audit row."""
    orgs = list(orgs)
    _check_zone_editor(scope, group)
    if not orgs:
        raise Invalid(_("请选择要划入片区的组织。"), field="zone")
    _check_zone_orgs(scope, group, orgs)
    for org in orgs:
        if not org.grassroots:
            raise Invalid(_("只有基层党组织可以划入片区:%(name)s") % {"name": org.name}, field="zone")
    already = set(group.zone.filter(pk__in=[o.pk for o in orgs]).values_list("pk", flat=True))
    new = [o for o in orgs if o.pk not in already]
    shared = zone_overlaps(group=group, org_ids=[o.pk for o in new])
    with transaction.atomic():
        group.zone.add(*new)
        log_event("outreach.group.zone_added", actor=actor, obj=group, data={
            "orgs": [o.code for o in new],
            "shared": {o.code: shared[o.pk] for o in new if o.pk in shared},
        })
    return shared


def group_zone_remove(*, scope: Scope, actor, group: LectureGroup, orgs: Iterable[Org]) -> int:
    """Take orgs out of the group's zone; returns how many were in it."""
    orgs = list(orgs)
    _check_zone_editor(scope, group)
    _check_zone_orgs(scope, group, orgs)
    present = list(group.zone.filter(pk__in=[o.pk for o in orgs]))
    with transaction.atomic():
        group.zone.remove(*present)
        log_event("outreach.group.zone_removed", actor=actor, obj=group, data={"orgs": [o.code for o in present]})
    return len(present)


def target_set(*, scope: Scope, actor, campaign: Campaign, min_sessions: int) -> CoverageTarget:
    if not (scope.is_office and scope.reaches(campaign.root)):
        raise Refused(_("只有学习教育办公室可以设置覆盖目标。"))
    if min_sessions < 1:
        raise Invalid(_("每月至少 1 场。"), field="min_sessions")
    with transaction.atomic():
        target, _created = CoverageTarget.objects.update_or_create(campaign=campaign, defaults={"min_sessions": min_sessions})
        log_event("outreach.target.set", actor=actor, obj=campaign, org=campaign.root, data={"min_sessions": min_sessions})
    return target


# -- activities and attendance --------------------------------------------------------

def activity_create(*, scope: Scope, actor, org: Org, kind: str, title: str, starts_at: datetime,
                    ends_at: datetime | None = None, place: str = "", signin_minutes: int | None = None) -> Activity:
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您不能为该组织安排活动。"))
    if kind not in ActivityKind.values:
        raise Invalid(_("活动类型不正确。"), field="kind")
    if not title.strip():
        raise Invalid(_("请填写活动名称。"), field="title")
    if ends_at is not None and ends_at < starts_at:
        raise Invalid(_("结束时间不能早于开始时间。"), field="ends_at")
    minutes = signin_minutes if signin_minutes is not None else settings.OUTREACH_SIGNIN_MINUTES
    if not 5 <= minutes <= 720:
        raise Invalid(_("签到窗口应在 5 至 720 分钟之间。"), field="signin_minutes")
    with transaction.atomic():
        activity = Activity.objects.create(org=org, kind=kind, title=title.strip(), starts_at=starts_at, ends_at=ends_at,
                                           place=place.strip(), signin_minutes=minutes, created_by=actor)
        log_event("outreach.activity.created", actor=actor, obj=activity, data={"kind": kind})
    return activity


def attendance_sign(*, activity: Activity, member: Member, token: str, actor=None,
                    now: datetime | None = None) -> tuple[Attendance, bool]:
    """Sign `member` in by the activity's QR token. Returns (attendance, created): a second
    sign-in returns the first one unchanged and emits nothing."""
    now = now or timezone.now()
    if token != activity.signin_token:
        raise Refused(_("签到码无效,请重新扫描现场二维码。"))
    if not member.org.path.startswith(activity.org.path):
        raise Refused(_("您不是该活动组织单位的党员。"))
    existing = Attendance.objects.filter(activity=activity, member=member).first()
    if existing is not None:
        return existing, False
    opens, closes = signin_window(activity)
    if not opens <= now <= closes:
        raise Refused(
            _("不在签到时间内:签到时间为 %(opens)s 至 %(closes)s。")
            % {"opens": timezone.localtime(opens).strftime("%m-%d %H:%M"),
               "closes": timezone.localtime(closes).strftime("%m-%d %H:%M")},
            code="outside_window",
        )
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(activity=activity, member=member, signed_at=now)
            log_event("outreach.attendance.signed", actor=actor, obj=attendance, org=activity.org,
                      data={"activity": activity.pk})
    except IntegrityError:
        # Two scans at once: the unique constraint let one in; the other returns it.
        return Attendance.objects.get(activity=activity, member=member), False
    return attendance, True


def leave_request(*, activity: Activity, member: Member, reason: str, actor=None) -> LeaveRequest:
    if not member.org.path.startswith(activity.org.path):
        raise Refused(_("您不是该活动组织单位的党员。"))
    if not reason.strip():
        raise Invalid(_("请填写请假事由。"), field="reason")
    if Attendance.objects.filter(activity=activity, member=member).exists():
        raise Conflict(_("您已签到,无需请假。"))
    with transaction.atomic():
        leave, created = LeaveRequest.objects.get_or_create(activity=activity, member=member,
                                                           defaults={"reason": reason.strip()[:200]})
        if not created:
            raise Conflict(_("您已提交过请假申请。"))
        log_event("outreach.leave.requested", actor=actor, obj=leave, org=member.org, data={"activity": activity.pk})
    return leave


def leave_decide(*, scope: Scope, actor, leave: LeaveRequest, approve: bool, now: datetime | None = None) -> LeaveRequest:
    """The member's branch (an admin whose reach includes the member's org) approves or refuses."""
    if not (scope.is_admin and scope.reaches(leave.member.org)):
        raise Refused(_("请假须由党员所在支部审批。"))
    status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
    with transaction.atomic():
        # Compare-and-set: two admins deciding at once cannot both win.
        changed = LeaveRequest.objects.filter(pk=leave.pk, status=LeaveStatus.PENDING).update(
            status=status, decided_by=actor, decided_at=now or timezone.now())
        if not changed:
            raise Conflict(_("该请假申请已审批。"))
        leave.refresh_from_db()
        log_event("outreach.leave.decided", actor=actor, obj=leave, org=leave.member.org, data={"status": status})
    return leave


def activity_from_visit(*, visit) -> Activity | None:
    """Record a held group visit (redsites.visit.held: .org, .site, .date, .attendees) as a
    参观学习 activity, once per visit. `attendees` is a head count or a list of members."""
    source = f"redsites.visit:{visit.pk}" if getattr(visit, "pk", None) is not None else None
    if source and Activity.objects.filter(source=source).exists():
        return None
    attendees = visit.attendees
    members = [] if isinstance(attendees, int) else list(attendees or [])
    count = attendees if isinstance(attendees, int) else len(members)
    held = visit.date if isinstance(visit.date, datetime) else datetime.combine(visit.date, datetime.min.time()).replace(hour=9)
    if timezone.is_naive(held):
        held = timezone.make_aware(held)
    activity = Activity.objects.create(
        org=visit.org, kind=ActivityKind.VISIT, title=_("参观%(site)s") % {"site": visit.site}, starts_at=held,
        place=str(visit.site)[:120], audience_offline=count, source=source,
    )
    member_model = Attendance._meta.get_field("member").related_model  # orgs.Member, without importing orgs.models
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, member=m, signed_at=held) for m in members if isinstance(m, member_model)],
        ignore_conflicts=True,
    )
    log_event("outreach.activity.recorded", obj=activity, data={"source": "redsites", "attendees": count})
    return activity
