"""Statistical periods: ISO weeks ("2021-W23"), months ("2021-06") and quarters ("2021-Q2",
the 季季评 summary)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from dangshi.errors import Invalid

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # "week" | "month" | "qtr"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "week":
            # Dates without leading zeros, full-width brackets (GB/T 9704-2012 7.3.5.4, GB/T 15834).
            return _("%(y)d年第%(w)d周（%(sm)d月%(sd)d日至%(em)d月%(ed)d日）") % {
                "y": self.start.isocalendar().year, "w": self.start.isocalendar().week,
                "sm": self.start.month, "sd": self.start.day, "em": self.end.month, "ed": self.end.day,
            }
        if self.kind == "qtr":
            return _("%(y)d年第%(q)s季度") % {"y": self.start.year, "q": QUARTER_NAMES[(self.start.month - 1) // 3]}
        return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}

    def previous(self) -> "Period":
        return period_of(self.kind, self.start - timedelta(days=1))


def week(key: str) -> Period:
    m = _WEEK.match(key.strip())
    if not m:
        raise Invalid(_("请选择周(如 2021-W23)。"), field="period")
    try:
        start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        raise Invalid(_("没有这一周:%(k)s,请重新选择周。") % {"k": key}, field="period") from None
    return Period(f"{int(m[1])}-W{int(m[2]):02d}", "week", start, start + timedelta(days=6))


def month(key: str) -> Period:
    m = _MONTH.match(key.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise Invalid(_("请选择月份(如 2021-06)。"), field="period")
    start = date(int(m[1]), int(m[2]), 1)
    nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return Period(f"{start:%Y-%m}", "month", start, nxt - timedelta(days=1))


def quarter(key: str) -> Period:
    m = _QUARTER.match(key.strip())
    if not m:
        raise Invalid(_("请选择季度(如 2021-Q2)。"), field="period")
    year, q = int(m[1]), int(m[2])
    start = date(year, 3 * q - 2, 1)
    nxt = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Period(f"{year}-Q{q}", "qtr", start, nxt - timedelta(days=1))


def period_of(kind: str, day: date) -> Period:
    if kind == "qtr":
        return quarter(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == "week":
        iso = day.isocalendar()
        return week(f"{iso.year}-W{iso.week}")
    return month(f"{day:%Y-%m}")


def parse(key: str) -> Period:
    if not key.strip():
        raise Invalid(_("请选择周或月份。"), field="period")
    if "Q" in key.upper():
        return quarter(key)
    return week(key) if "W" in key.upper() else month(key)


def weeks_before(p: Period, n: int) -> list[Period]:
    """The n weeks ending with the week of p.end, oldest first (the dashboard's trend)."""
    last = period_of("week", p.end)
    return [period_of("week", last.start - timedelta(weeks=i)) for i in range(n - 1, -1, -1)]
