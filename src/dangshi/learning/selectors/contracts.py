"""The module contracts `reports` and `supervision` read (see core/contracts.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangshi.core.contracts import AgendaItem, Fact
from dangshi.learning.models import PointEntry, ReadRecord
from dangshi.learning.selectors.fiveones import Period, compliance_by_org, member_compliance
from dangshi.orgs.selectors import orgs_with_paths

if TYPE_CHECKING:
    from dangshi.orgs.models import Member, Org

ROLLUP_METRICS = {
    "learning.reads": gettext_lazy("学习人次"),
    "learning.points": gettext_lazy("学习积分"),
    "learning.five_ones_members": gettext_lazy("五个一达标人数"),
    "learning.five_ones_assessed": gettext_lazy("五个一考核人数"),
}


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, datetime.min.time(), tz), datetime.combine(end + timedelta(days=1),
                                                                               datetime.min.time(), tz))


def rollup_facts(*, start: date, end: date, root_path: str = ""):
    lo, hi = _window(start, end)
    reads = (ReadRecord.objects.filter(counted=True, finished_at__gte=lo, finished_at__lt=hi,
                                       member__org__path__startswith=root_path)
             .values("member__org__path").annotate(n=Count("id")))
    for r in reads:
        yield Fact(r["member__org__path"], "learning.reads", r["n"])
    points = (PointEntry.objects.filter(day__range=(start, end), member__org__path__startswith=root_path)
              .values("member__org__path").annotate(n=Sum("points")))
    for r in points:
        yield Fact(r["member__org__path"], "learning.points", r["n"])
    for path, (assessed, compliant) in compliance_by_org(root_path=root_path,
                                                         period=Period("custom", start, end)).items():
        yield Fact(path, "learning.five_ones_assessed", assessed)
        yield Fact(path, "learning.five_ones_members", compliant)


AGENDA_THRESHOLD = 0.5


def agenda_items(*, root: Org, week_start: date, week_end: date) -> list[AgendaItem]:
    """Branches where fewer than half the members met 五个一 for the week."""
    by_path = compliance_by_org(root_path=root.path, period=Period("custom", week_start, week_end))
    low = {p: v for p, v in by_path.items() if v[0] and v[1] / v[0] < AGENDA_THRESHOLD}
    orgs = orgs_with_paths(low).filter(grassroots=True).order_by("path")
    out = []
    for org in orgs[:30]:
        assessed, compliant = low[org.path]
        out.append(AgendaItem(
            module="learning", kind="five_ones_low", org_id=org.pk, org_name=org.name,
            title=_("%(org)s 五个一达标率 %(rate)d%%") % {"org": org.name, "rate": round(100 * compliant / assessed)},
            url=reverse("learning:console_five_ones") + f"?org={org.code}&period=custom:{week_start}:{week_end}",
            detail=_("达标 %(c)d / %(n)d 人") % {"c": compliant, "n": assessed},
        ))
    return out


def member_figures(*, member: Member, start: date, end: date) -> dict[str, object]:
    lo, hi = _window(start, end)
    reads = ReadRecord.objects.filter(member=member, counted=True, finished_at__gte=lo, finished_at__lt=hi).count()
    points = PointEntry.objects.filter(member=member, day__range=(start, end)).aggregate(s=Sum("points"))["s"] or 0
    five = member_compliance(member=member, period=Period("custom", start, end))
    return {"学习篇数": reads, "学习积分": points, "五个一达标": "是" if five["compliant"] else "否"}
