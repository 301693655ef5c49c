"""Reads: scoped requests, the queue, overdue requests, KPIs, and the module contracts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.core.crypto import blank_personal_numbers, digest
from dangshi.hotline.models import (
    HANDLING_STATES,
    Action,
    CoOrg,
    Extension,
    ImportSource,
    Kind,
    Open311Key,
    Request,
    Satisfaction,
    ServiceType,
    Update,
)
from dangshi.hotline.rules import CENTRE_ACTIONS, HANDLER_ACTIONS, TRANSITIONS, is_centre, is_handler
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import org_subtree
from dangshi.practical import selectors as practical_selectors

if TYPE_CHECKING:
    from dangshi.orgs.models import Org


def request_scoped(*, scope: Scope) -> QuerySet[Request]:
    """Requests whose intake org, 主办 org or a 协办 org lies in the scope's reach."""
    if not scope.org_paths:
        return Request.objects.none()
    co = CoOrg.objects.filter(request=OuterRef("pk")).filter(scope.org_q("org"))
    return Request.objects.filter(scope.org_q("intake_org") | scope.org_q("org") | Q(Exists(co)))


def request_or_none(*, scope: Scope, request_id: int) -> Request | None:
    return request_scoped(scope=scope).select_related("org", "intake_org", "service", "assignee", "matter").filter(
        pk=request_id).first()


def request_queue(*, scope: Scope, state: str = "", org: Org | None = None, q: str = "", overdue: bool = False,
                  now: datetime | None = None) -> QuerySet[Request]:
    qs = request_scoped(scope=scope)
    if state:
        qs = qs.filter(state=state)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if q:
        qs = qs.filter(Q(number=q) | Q(content__contains=q) | Q(address__contains=q))
    if overdue:
        qs = qs.filter(state__in=HANDLING_STATES, due_at__lt=now or timezone.now())
    return qs.select_related("org", "service").order_by("-received_at", "-id")


def request_overdue(*, scope: Scope, now: datetime | None = None) -> QuerySet[Request]:
    return request_queue(scope=scope, overdue=True, now=now)


def request_updates(*, req: Request) -> QuerySet[Update]:
    return req.updates.select_related("org").order_by("at", "id")


def caller_shown(req: Request, user) -> dict[str, str]:
    """The caller's details: in clear only for the staff assigned to the request (the signer
    in the handling org); masked for everyone else, including the office."""
    if user is not None and req.assignee_id and req.assignee_id == getattr(user, "pk", None):
        return {"name": req.caller_name, "phone": req.caller_phone, "masked": False}
    return {"name": req.caller_name_masked, "phone": req.caller_phone_masked, "masked": True}


def content_shown(req: Request, scope, user) -> str:
    """The citizen's own words, with the phone and ID numbers typed into them blanked, except
    for the handling unit: the assignee and the admins bound to the request's 主办单位 itself.
    The office, the orgs above and the co-handling orgs read it blanked."""
    if user is not None and req.assignee_id and req.assignee_id == getattr(user, "pk", None):
        return req.content
    if req.org_id and req.org.path in (*scope.admin_paths, *scope.office_paths):
        return req.content
    return blank_personal_numbers(req.content)


def service_list() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(active=True).order_by("position", "code")


# -- KPIs ------------------------------------------------------------------------------------

SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASIC)
# The monthly ranking's weights (points out of 100), stated on the KPI page.
WEIGHTS = {"response_rate": 20, "on_time_rate": 30, "resolve_rate": 25, "satisfaction_rate": 25}
PENALTIES = {"reopen_rate": 10, "return_rate": 10}


@dataclass
class Kpi:
    org_id: int
    org_name: str
    month: date
    handled: int = 0  # requests with the org as 主办 dispatched in the month
    signed_in_time: int = 0
    replied_in_time: int = 0
    callbacks: int = 0
    resolved: int = 0
    satisfied: int = 0
    reopened: int = 0
    returned: int = 0

    @staticmethod
    def _ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    @property
    def response_rate(self):  # 响应率: signed within the signing limit
        return self._ratio(self.signed_in_time, self.handled)

    @property
    def on_time_rate(self):  # 按时办结率: replied within the (extended) time limit
        return self._ratio(self.replied_in_time, self.handled)

    @property
    def resolve_rate(self):  # 解决率: callbacks only
        return self._ratio(self.resolved, self.callbacks)

    @property
    def satisfaction_rate(self):  # 满意率: callbacks only, 满意 + 基本满意
        return self._ratio(self.satisfied, self.callbacks)

    @property
    def reopen_rate(self):  # 重办率
        return self._ratio(self.reopened, self.handled)

    @property
    def dispatched(self) -> int:
        """Dispatches to the org: every request it still handles was dispatched to it once more
        than it returned it, so dispatches = handled + returned (no scan of the dispatch log)."""
        return self.handled + self.returned

    @property
    def return_rate(self):  # 退单率: returns ÷ dispatches to the org
        return self._ratio(self.returned, self.dispatched)

    @property
    def score(self) -> float:
        total = sum(w * (getattr(self, k) or 0) for k, w in WEIGHTS.items())
        total -= sum(w * (getattr(self, k) or 0) for k, w in PENALTIES.items())
        return round(total, 2)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in local time."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def _month(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def org_kpis(*, root_path: str, start: date, end: date) -> list[Kpi]:
    """KPIs per 主办 org and month of dispatch, for orgs under `root_path`, over [start, end].

    Three queries (org names, requests grouped, return updates grouped), whatever the number of orgs.
    """
    lo, hi = _bounds(start, end)
    tz = timezone.get_current_timezone()
    table: dict[tuple[int, date], Kpi] = {}
    names = dict(org_subtree(root=root_path).values_list("id", "name"))

    def row(org_id, month) -> Kpi:
        key = (org_id, _month(month))
        if key not in table:
            table[key] = Kpi(org_id=org_id, org_name=names.get(org_id, ""), month=key[1])
        return table[key]

    requests = (
        Request.objects.filter(dispatched_at__gte=lo, dispatched_at__lt=hi, org__path__startswith=root_path)
        .annotate(month=TruncMonth("dispatched_at", tzinfo=tz)).values("org_id", "month")
        .annotate(
            handled=Count("id"),
            signed_in_time=Count("id", filter=Q(signed_at__lte=F("sign_due_at"))),
            replied_in_time=Count("id", filter=Q(replied_at__lte=F("due_at"))),
            callbacks=Count("id", filter=~Q(resolution="")),
            resolved=Count("id", filter=Q(resolution="resolved")),
            satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
        ).order_by()
    )
    for r in requests:
        k = row(r["org_id"], r["month"])
        for field in ("handled", "signed_in_time", "replied_in_time", "callbacks", "resolved", "satisfied", "reopened"):
            setattr(k, field, r[field])
    returns = (
        Update.objects.filter(action=Action.RETURN, at__gte=lo, at__lt=hi, org__path__startswith=root_path)
        .annotate(month=TruncMonth("at", tzinfo=tz)).values("org_id", "month").annotate(n=Count("id")).order_by()
    )
    for u in returns:
        row(u["org_id"], u["month"]).returned = u["n"]
    return sorted(table.values(), key=lambda k: (k.month, -k.score, k.org_name))


def monthly_ranking(*, root_path: str, month: date) -> list[Kpi]:
    """Orgs ranked by score for one month (best first)."""
    first = month.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return sorted(org_kpis(root_path=root_path, start=first, end=last), key=lambda k: (-k.score, k.org_name))


# -- contracts (dangshi.core.contracts) ---------------------------------------------------------

ROLLUP_METRICS = {
    "hotline.requests": _("12345诉求派办件数"),
    "hotline.callbacks": _("12345诉求回访数"),
    "hotline.resolved": _("12345诉求回访已解决数"),
    "hotline.satisfied": _("12345诉求回访满意数"),
    "hotline.on_time": _("12345诉求按时办结数"),
}


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    """Per 主办 org, for requests dispatched in [start, end]: each request counted at one org only."""
    lo, hi = _bounds(start, end)
    rows = (
        Request.objects.filter(dispatched_at__gte=lo, dispatched_at__lt=hi, org__path__startswith=root_path)
        .values("org__path")
        .annotate(
            requests=Count("id"),
            callbacks=Count("id", filter=~Q(resolution="")),
            resolved=Count("id", filter=Q(resolution="resolved")),
            satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED)),
            on_time=Count("id", filter=Q(replied_at__lte=F("due_at"))),
        ).order_by()
    )
    for r in rows:
        for key in ("requests", "callbacks", "resolved", "satisfied", "on_time"):
            yield Fact(org_path=r["org__path"], metric=f"hotline.{key}", value=float(r[key]))


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """One line per org with requests overdue at the end of the week."""
    _lo, at = _bounds(week_start, week_end)
    counts = defaultdict(int)
    names = {}
    overdue = Request.objects.filter(state__in=HANDLING_STATES, due_at__lt=at, org__path__startswith=root.path)
    for org_id, name in overdue.values_list("org_id", "org__name"):
        counts[org_id] += 1
        names[org_id] = name
    url = reverse("hotline:console_queue") + "?overdue=1"
    return [
        AgendaItem(module="hotline", kind="request_overdue",
                   title=str(_("%(org)s 有 %(n)d 件12345诉求超期未办结")) % {"org": names[o], "n": n},
                   org_id=o, org_name=names[o], url=url)
        for o, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]


def service_for(categories: Iterable[str], services: list[ServiceType] | None = None) -> ServiceType:
    """The service whose keywords appear in the 问题分类 levels; 'general' otherwise."""
    services = services if services is not None else list(ServiceType.objects.filter(active=True))
    joined = " ".join(c for c in categories if c)
    for service in services:
        if any(word and word in joined for word in service.keywords.split()):
            return service
    return next((s for s in services if s.code == "general"), services[0])


# -- Open311 GeoReport v2 ------------------------------------------------------------------
def open311_requests() -> QuerySet[Request]:
    """The requests Open311 shows (reports of wrongdoing never)."""
    return Request.objects.exclude(kind=Kind.REPORT).select_related("service", "org")


def open311_token(token: str) -> dict | None:
    """The request number behind an Open311 token (number and token only)."""
    return Request.objects.filter(token=token).exclude(token=None).values("number", "token").first()


def open311_key(api_key: str) -> Open311Key | None:
    """The active Open311 key with this clear value (looked up by its digest)."""
    return Open311Key.objects.select_related("intake_org").filter(digest=digest(api_key), active=True).first()


def import_sources() -> QuerySet[ImportSource]:
    """The saved column mappings of the platforms requests are imported from."""
    return ImportSource.objects.order_by("name")


# -- what the user may do ---------------------------------------------------------------
def actions_allowed(*, scope: Scope, req: Request) -> set[str]:
    """The actions this user may take on the request now (for the buttons shown), by the
    rules the services check."""
    out = set()
    centre, handler = is_centre(scope, req), is_handler(scope, req)
    for action, (sources, _target) in TRANSITIONS.items():
        if req.state in sources and ((action in CENTRE_ACTIONS and centre) or (action in HANDLER_ACTIONS and handler)):
            out.add(str(action))
    if handler and req.state in HANDLING_STATES:
        out.add("extend_ask")
    if centre and req.state in HANDLING_STATES:
        out.add("escalate")
    if centre or handler:
        out.add("matter")  # 转为实事 / 关联实事: its own page, not a form action here
    if centre and req.extensions.filter(decision=Extension.Decision.PENDING).exists():
        out.add("extend_decide")
    return out


# -- practical matters (转为实事) ----------------------------------------------------------------


# Provider contracts read by `practical` through dangshi.core.contracts.providers (practical
# may not import this module): what a practical matter shows of the items linked to it here.
def matter_sources(*, scope: Scope, matter_id: int, limit: int = 200) -> tuple[int, list[Request]]:
    """The requests linked to a matter: how many there are in all, and those in the user's
    reach (newest first). Pages show their callers masked only."""
    total = Request.objects.filter(matter_id=matter_id).count()
    shown = request_scoped(scope=scope).filter(matter_id=matter_id).select_related("org").order_by("-received_at", "-id")
    return total, list(shown[:limit])


def matter_source_counts(*, matter_ids) -> dict[int, int]:
    """Linked requests per matter: the one figure about them the public board shows."""
    rows = Request.objects.filter(matter_id__in=list(matter_ids)).values("matter_id").annotate(n=Count("id")).order_by()
    return {r["matter_id"]: r["n"] for r in rows}


def matter_request_numbers(*, scope: Scope, matter) -> list[str]:
    """The 工单编号 of the requests linked to `matter` that the user reaches."""
    return list(request_scoped(scope=scope).filter(matter=matter).order_by("number").values_list("number", flat=True))


def matter_link_options(*, scope: Scope, req: Request) -> dict:
    """What the 转为实事 / 关联实事 page offers: the same-category requests to take along, the
    matters in reach to link to (not cancelled), the orgs that may own a new one, and its
    suggested title."""
    category = req.category_3 or req.category_2 or req.category_1 or _("群众反映")
    return {
        "candidates": matter_candidates(scope=scope, req=req),
        "matters": practical_selectors.matters_linkable(scope=scope)[:300],
        "orgs": scope.orgs().order_by("path")[:2000],
        "title": _("%(c)s问题集中办理") % {"c": category},
    }


def matter_candidates(*, scope: Scope, req: Request, limit: int = 50) -> list[Request]:
    """Other requests of the same 问题分类, not linked yet, that the user may turn into a
    matter with `req`: as the centre (office over the intake org) or the handling org."""
    reach = scope.org_q("org")
    if scope.is_office:
        reach |= scope.org_q("intake_org")
    qs = (Request.objects.filter(reach, matter__isnull=True, category_1=req.category_1, category_2=req.category_2,
                                 category_3=req.category_3).exclude(pk=req.pk))
    return list(qs.select_related("org").order_by("-received_at", "-id")[:limit])
