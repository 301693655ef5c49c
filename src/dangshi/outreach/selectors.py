"""Reads for 宣讲与活动, and the module contracts (ROLLUP_METRICS, rollup_facts, agenda_items,
member_figures) that `reports` and `supervision` call."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import campaign_for, member_subtree, org_children, org_subtree, path_chain
from dangshi.orgs.selectors import member_of as _member_of
from dangshi.outreach import coverage
from dangshi.outreach.coverage import local_range  # also read by reports (session windows)
from dangshi.outreach.models import (
    Activity,
    Attendance,
    LeaveRequest,
    LeaveStatus,
    LectureGroup,
    Lecturer,
    Session,
    SessionOrg,
    VenueKind,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org


def _lecturer_q(scope: Scope, field: str) -> Q:
    prefix = f"{field}__path" if field else "path"
    q = Q(pk__in=[])
    for path in scope.lecturer_paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


# -- sessions --------------------------------------------------------------------------

def session_list(*, scope: Scope, org: Org | None = None, month: date | None = None) -> QuerySet[Session]:
    """Sessions hosted in reach, or covering an org in reach (a lecturer: under their org)."""
    reach = scope.org_q("org") | _lecturer_q(scope, "org")
    covers = SessionOrg.objects.filter(session=OuterRef("pk")).filter(scope.org_q("org") | _lecturer_q(scope, "org"))
    qs = Session.objects.filter(reach | Q(Exists(covers)))
    if org is not None:
        qs = qs.filter(Q(org__path__startswith=org.path) | Q(Exists(SessionOrg.objects.filter(
            session=OuterRef("pk"), org__path__startswith=org.path))))
    if month is not None:
        lo, hi = local_range(month, coverage.month_add(month, 1) - timedelta(days=1))
        qs = qs.filter(starts_at__gte=lo, starts_at__lt=hi)
    return qs.select_related("org", "venue_kind").order_by("-starts_at", "-id")


def session_or_404(*, scope: Scope, session_id: int) -> Session:
    session = session_list(scope=scope).filter(pk=session_id).prefetch_related("lecturers", "covered__org", "files").first()
    if session is None:
        raise Http404(_("未找到该宣讲记录。"))
    return session


def loggable_orgs(*, scope: Scope) -> QuerySet[Org]:
    """Orgs a user may log a session for or mark as covered."""
    orgs = org_subtree(root="")
    return orgs.filter(scope.org_q("") | _lecturer_q(scope, "")).order_by("path") if (
        scope.org_paths or scope.lecturer_paths) else orgs.none()


def covering_groups(*, org: Org) -> QuerySet[LectureGroup]:
    """Lecture groups whose zone (分片包干) holds `org` or an org above it."""
    return LectureGroup.objects.filter(zone__path__in=path_chain(org.path)).distinct()


def venue_kind_active(*, code: str) -> VenueKind | None:
    return VenueKind.objects.filter(code=code, active=True).first()


def lecturer_choices(*, org: Org | None, keep: Iterable[int] = ()) -> QuerySet[Lecturer]:
    """Active lecturers a session hosted by `org` may name, nearest first (`rank`):
    0 registered in the host's subtree, 1 in a group whose zone covers the host,
    2 registered at an org above it (the district's 宣讲团). Anyone else (a sibling
    branch's lecturer, say) is out of range: the form offers them nowhere and the
    services refuse them. `keep`: ids of lecturers already on the session being edited,
    offered whatever has changed since (see services.session_update)."""
    if org is None:
        return Lecturer.objects.none()
    subtree = Q(org__path__startswith=org.path)
    zone = Q(group__in=covering_groups(org=org).values("pk"))
    above = Q(org__path__in=path_chain(org.path))
    rank = Case(When(subtree, then=Value(0)), When(zone, then=Value(1)), default=Value(2))
    return (Lecturer.objects.filter(Q(subtree | zone | above, active=True) | Q(pk__in=list(keep))).select_related("org", "group")
            .annotate(rank=rank).order_by("rank", "name", "id"))


# -- lecturers and groups --------------------------------------------------------------

def lecturer_list(*, scope: Scope, q: str = "", active: bool | None = None) -> QuerySet[Lecturer]:
    qs = scope.filter(Lecturer.objects.all(), org_field="org")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(specialty__contains=q))
    if active is not None:
        qs = qs.filter(active=active)
    return qs.select_related("org", "group").annotate(session_count=Count("sessions")).order_by("org__path", "id")


def lecturer_or_404(*, scope: Scope, lecturer_id: int) -> Lecturer:
    lecturer = scope.filter(Lecturer.objects.select_related("org", "group"), org_field="org").filter(pk=lecturer_id).first()
    if lecturer is None:
        raise Http404(_("未找到该宣讲员。"))
    return lecturer


def group_tree(*, scope: Scope, campaign) -> list[tuple[LectureGroup, int]]:
    """Groups in reach as (group, depth), parents before children."""
    groups = list(scope.filter(LectureGroup.objects.filter(campaign=campaign), org_field="org")
                  .annotate(zone_size=Count("zone", distinct=True), lecturer_count=Count("lecturers", distinct=True)))
    by_parent: dict[int | None, list[LectureGroup]] = {}
    ids = {g.pk for g in groups}
    for g in groups:
        by_parent.setdefault(g.parent_id if g.parent_id in ids else None, []).append(g)
    out: list[tuple[LectureGroup, int]] = []

    def walk(parent, depth):
        for g in sorted(by_parent.get(parent, []), key=lambda g: (g.position, g.pk)):
            out.append((g, depth))
            walk(g.pk, depth + 1)

    walk(None, 0)
    return out


def group_for_editor_or_404(*, scope: Scope, group_id: int) -> LectureGroup:
    """A group whose zone the user may edit: an office user or org admin whose reach
    includes the org that formed the group (its 组建单位)."""
    scope.require_admin()
    group = scope.filter(LectureGroup.objects.select_related("org", "campaign"), org_field="org").filter(pk=group_id).first()
    if group is None:
        raise Http404(_("未找到该宣讲组。"))
    return group


def zone_overlaps(*, group: LectureGroup, org_ids: list[int]) -> dict[int, list[str]]:
    """For each of `org_ids` already in another group's zone (same campaign): those groups' names."""
    out: dict[int, list[str]] = {}
    rows = (LectureGroup.zone.through.objects.filter(lecturegroup__campaign_id=group.campaign_id, org_id__in=org_ids)
            .exclude(lecturegroup_id=group.pk).order_by("lecturegroup__position", "lecturegroup_id")
            .values_list("org_id", "lecturegroup__name"))
    for org_id, name in rows:
        out.setdefault(org_id, []).append(name)
    return out


def group_zone(*, group: LectureGroup) -> list[tuple[Org, list[str]]]:
    """The group's zone in tree order, each org with the other groups it is shared with."""
    orgs = list(group.zone.order_by("path"))
    shared = zone_overlaps(group=group, org_ids=[o.pk for o in orgs])
    return [(o, shared.get(o.pk, [])) for o in orgs]


def zone_candidates(*, scope: Scope, group: LectureGroup, under: Org) -> QuerySet[Org]:
    """Grass-roots orgs at or under `under` that may join the group's zone: in the editor's
    reach and under the org that formed the group."""
    return scope.orgs().filter(path__startswith=under.path, grassroots=True).filter(
        path__startswith=group.org.path).order_by("path")


def zone_picker_level(*, scope: Scope, group: LectureGroup, parent: Org | None) -> QuerySet[Org]:
    """One level of the zone picker's tree: the group's own org at the top (nothing above it
    can join its zone), then the children in reach of an org under it."""
    if parent is None:
        return org_subtree(root="").filter(pk=group.org_id).annotate(child_count=Count("children"))
    if not parent.path.startswith(group.org.path):
        raise Http404(_("未找到该组织。"))
    return org_children(scope=scope, org=parent)


# -- activities ------------------------------------------------------------------------

def activity_list(*, scope: Scope, org: Org | None = None) -> QuerySet[Activity]:
    qs = scope.filter(Activity.objects.all(), org_field="org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs.select_related("org").annotate(signed=Count("attendances", distinct=True)).order_by("-starts_at", "-id")


def activity_or_404(*, scope: Scope, activity_id: int) -> Activity:
    activity = scope.filter(Activity.objects.select_related("org"), org_field="org").filter(pk=activity_id).first()
    if activity is None:
        raise Http404(_("未找到该活动。"))
    return activity


def _member_activity_q(member: Member) -> Q:
    """Activities of the member's org and of the orgs above it."""
    return Q(org__path__in=path_chain(member.org.path))


def member_activities(*, member: Member) -> QuerySet[Activity]:
    return (Activity.objects.filter(_member_activity_q(member)).select_related("org")
            .annotate(mine=Count("attendances", filter=Q(attendances__member=member)))
            .order_by("-starts_at"))


def member_activity_or_404(*, scope: Scope, activity_id: int | None = None, token: str | None = None) -> tuple[Member, Activity]:
    """An activity the signed-in member may sign in to (their org or above), else 404."""
    member = _member_of(scope=scope)
    qs = Activity.objects.filter(_member_activity_q(member)).select_related("org") if member else Activity.objects.none()
    activity = qs.filter(pk=activity_id).first() if activity_id is not None else qs.filter(signin_token=token or "-").first()
    if activity is None:
        raise Http404(_("未找到该活动。"))
    return member, activity


def signin_window(activity: Activity) -> tuple[datetime, datetime]:
    """When sign-in to the activity is open: signin_minutes either side of its start."""
    delta = timedelta(minutes=activity.signin_minutes)
    return activity.starts_at - delta, activity.starts_at + delta


def attendance_of(*, activity: Activity, member: Member) -> Attendance | None:
    return activity.attendances.filter(member=member).first()


def activity_attendance(*, activity: Activity) -> dict:
    """Who was expected (active members of the org's subtree), signed, on approved leave."""
    expected = member_subtree(root=activity.org).count()
    signed = activity.attendances.count()
    leaves = activity.leaves.filter(status=LeaveStatus.APPROVED).count()
    due = max(expected - leaves, 0)
    return {"expected": expected, "signed": signed, "leave": leaves, "rate": round(signed / due, 4) if due else 0.0}


def leave_or_404(*, scope: Scope, leave_id: int) -> LeaveRequest:
    """A leave request of a member in reach, else 404."""
    leave = scope.filter(LeaveRequest.objects.select_related("member__org", "activity"), org_field="member__org").filter(
        pk=leave_id).first()
    if leave is None:
        raise Http404(_("未找到该请假申请。"))
    return leave


def pending_leaves(*, scope: Scope, activity: Activity) -> QuerySet[LeaveRequest]:
    return scope.filter(activity.leaves.filter(status=LeaveStatus.PENDING), org_field="member__org").select_related("member")


def member_attendance(*, member: Member, start: date, end: date) -> dict:
    lo, hi = local_range(start, end)
    activities = Activity.objects.filter(_member_activity_q(member), starts_at__gte=lo, starts_at__lt=hi, source__isnull=True)
    due = activities.count()
    signed = Attendance.objects.filter(member=member, activity__in=activities).count()
    leave = LeaveRequest.objects.filter(member=member, activity__in=activities, status=LeaveStatus.APPROVED).count()
    rest = due - leave
    return {"due": due, "signed": signed, "leave": leave, "rate": round(signed / rest, 4) if rest > 0 else 0.0}


# -- calendar --------------------------------------------------------------------------

def org_calendar(*, org: Org, since: datetime) -> tuple[list[Session], list[Activity]]:
    """Sessions hosted by or covering the org, and the org's activities, from `since` on."""
    sessions = (Session.objects.filter(Q(org=org) | Q(covered__org=org), starts_at__gte=since).distinct()
                .select_related("org", "venue_kind").order_by("starts_at")[:500])
    activities = Activity.objects.filter(org=org, starts_at__gte=since).select_related("org").order_by("starts_at")[:500]
    return list(sessions), list(activities)


def lecturers_of_user(*, user) -> QuerySet[Lecturer]:
    """The signed-in user's own active lecturer records (linked directly or through their member record)."""
    if not getattr(user, "is_authenticated", False):
        return Lecturer.objects.none()
    return (Lecturer.objects.filter(Q(user=user) | Q(member__user=user), active=True)
            .select_related("org", "group").order_by("id"))


def lecturer_by_calendar_token(*, token: str) -> Lecturer | None:
    """The active lecturer whose personal feed `token` opens (the feed's URL is its only key)."""
    return Lecturer.objects.filter(calendar_token=token, active=True).first()


def lecturer_calendar(*, lecturer: Lecturer, since: datetime) -> list[Session]:
    return list(lecturer.sessions.filter(starts_at__gte=since).select_related("org", "venue_kind").order_by("starts_at")[:500])


# -- contracts (core/contracts.py) -----------------------------------------------------

ROLLUP_METRICS = {
    "outreach.sessions": gettext_lazy("宣讲场次"),
    "outreach.audience_offline": gettext_lazy("宣讲现场听众人次"),
    "outreach.audience_online": gettext_lazy("宣讲线上观看人次"),
    "outreach.sessions_received": gettext_lazy("接受宣讲场次(按覆盖组织)"),
    "outreach.orgs_covered": gettext_lazy("宣讲覆盖组织数"),
    "outreach.activities": gettext_lazy("活动场次"),
    "outreach.attendances": gettext_lazy("活动签到人次"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Sessions and audiences at the host org; coverage (received sessions, covered orgs)
    at each covered org; activities and sign-ins at the activity's org."""
    lo, hi = local_range(start, end)
    hosted = (Session.objects.filter(org__path__startswith=root_path, starts_at__gte=lo, starts_at__lt=hi)
              .values_list("org__path").annotate(n=Count("id"), off=Sum("audience_offline"), on=Sum("audience_online"))
              .order_by())
    for path, n, off, on in hosted:
        yield Fact(path, "outreach.sessions", n)
        yield Fact(path, "outreach.audience_offline", off or 0)
        yield Fact(path, "outreach.audience_online", on or 0)
    received = (SessionOrg.objects.filter(org__path__startswith=root_path, session__starts_at__gte=lo, session__starts_at__lt=hi)
                .values_list("org__path").annotate(n=Count("id")).order_by())
    for path, n in received:
        yield Fact(path, "outreach.sessions_received", n)
        yield Fact(path, "outreach.orgs_covered", 1)
    acts = (Activity.objects.filter(org__path__startswith=root_path, starts_at__gte=lo, starts_at__lt=hi)
            .values_list("org__path").annotate(n=Count("id", distinct=True), a=Count("attendances")).order_by())
    for path, n, a in acts:
        yield Fact(path, "outreach.activities", n)
        yield Fact(path, "outreach.attendances", a)


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Grass-roots orgs that have had no session yet in the month of `week_end`."""
    campaign = campaign_for(org=root)
    month = week_end.replace(day=1)
    target = coverage.target_for(campaign)
    url = reverse("outreach:console_gaps")
    return [
        AgendaItem(
            module="outreach", kind="org_no_session", org_id=gap.org_id, org_name=gap.name,
            title=_("%(org)s 本月尚未开展宣讲") % {"org": gap.name} if gap.sessions == 0
            else _("%(org)s 本月宣讲未达 %(k)d 场") % {"org": gap.name, "k": target},
            url=f"{url}?org={gap.code}&month={month:%Y-%m}",
            detail=_("包干宣讲组:%(g)s") % {"g": "、".join(gap.groups)} if gap.groups else "",
        )
        for gap in coverage.coverage_gaps(root=root, month=month, target=target, campaign=campaign)
    ]


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    figures = member_attendance(member=member, start=start, end=end)
    return {
        _("应参加活动"): figures["due"],
        _("签到参加活动"): figures["signed"],
        _("请假"): figures["leave"],
        _("活动出勤率"): f"{figures['rate']:.0%}",
    }
