"""Statistical periods: ISO weeks ("2021-W23") and months ("2021-06")."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from dangshi.errors import Invalid

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # "week" | "month"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "week":
            return _("%(y)d年第%(w)d周(%(s)s至%(e)s)") % {
                "y": self.start.isocalendar().year, "w": self.start.isocalendar().week,
                "s": f"{self.start:%m-%d}", "e": f"{self.end:%m-%d}",
            }
        return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}

    def previous(self) -> "Period":
        return period_of(self.kind, self.start - timedelta(days=1))


def week(key: str) -> Period:
    m = _WEEK.match(key.strip())
    if not m:
        raise Invalid(_("周的格式应为 2021-W23。"), field="week")
    try:
        start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise Invalid(_("没有这一周:%(k)s") % {"k": key}, field="week") from None
    return Period(f"{int(m[1])}-W{int(m[2]):02d}", "week", start, start + timedelta(days=6))


def month(key: str) -> Period:
    m = _MONTH.match(key.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise Invalid(_("月份的格式应为 2021-06。"), field="month")
    start = date(int(m[1]), int(m[2]), 1)
    nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return Period(f"{start:%Y-%m}", "month", start, nxt - timedelta(days=1))


def period_of(kind: str, day: date) -> Period:
    if kind == "week":
        iso = day.isocalendar()
        return week(f"{iso.year}-W{iso.week}")
    return month(f"{day:%Y-%m}")


def parse(key: str) -> Period:
    return week(key) if "W" in key.upper() else month(key)


def weeks_before(p: Period, n: int) -> list[Period]:
    """The n weeks ending with the week of p.end, oldest first (the dashboard's trend)."""
    last = period_of("week", p.end)
    return [period_of("week", last.start - timedelta(weeks=i)) for i in range(n - 1, -1, -1)]
