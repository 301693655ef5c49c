"""The briefing's words, generated from its figures: 总体情况 as sentences with the change on the
previous period, 存在问题 and 下步打算 from the lagging units, the indicators that fell and the
open tasks. The office edits them before issuing (services.briefing_edit).

Chinese house style (GB/T 15834 punctuation, GB/T 9704 dates): full-width punctuation between
Chinese characters, dates without leading zeros (2026年3月1日), thousands separated (5,537).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from dangshi.core.cnformat import cn_date, cn_punct
from dangshi.core.contracts import AgendaItem

__all__ = ["cn_date", "cn_punct", "overview", "plans", "problems"]

# What a change is counted in ("较上周增加12场次"); in English a word after the figure.
UNIT_SESSIONS = pgettext_lazy("briefing change unit", "场次")
UNIT_TIMES = pgettext_lazy("briefing change unit", "人次")
UNIT_PEOPLE = pgettext_lazy("briefing change unit", "人")
UNIT_ITEMS = pgettext_lazy("briefing change unit", "项")
UNIT_CASES = pgettext_lazy("briefing change unit", "件")

# Phrases for the usual headline figures, so that 总体情况 reads as the office writes it; any
# other figure is written as "label n". `unit` is what the change is counted in.
PHRASES = {
    "outreach.sessions": (lambda n: _("开展宣讲%(n)s场次") % {"n": n}, UNIT_SESSIONS),
    "outreach.audience": (lambda n: _("覆盖%(n)s人次") % {"n": n}, UNIT_TIMES),
    "outreach.audience_offline": (lambda n: _("现场听众%(n)s人次") % {"n": n}, UNIT_TIMES),
    "outreach.audience_online": (lambda n: _("线上观看%(n)s人次") % {"n": n}, UNIT_TIMES),
    "quiz.participants": (lambda n: _("%(n)s人参加答题") % {"n": n}, UNIT_PEOPLE),
    "quiz.attempts": (lambda n: _("答题%(n)s人次") % {"n": n}, UNIT_TIMES),
    "learning.reads": (lambda n: _("党员在线学习%(n)s人次") % {"n": n}, UNIT_TIMES),
    "redsites.checkins": (lambda n: _("红色阵地打卡%(n)s人次") % {"n": n}, UNIT_TIMES),
    "practical.matters_started": (lambda n: _("已开工实事%(n)s项") % {"n": n}, UNIT_ITEMS),
    "practical.matters_completed": (lambda n: _("已完成实事%(n)s项") % {"n": n}, UNIT_ITEMS),
    "hotline.requests": (lambda n: _("派办12345诉求%(n)s件") % {"n": n}, UNIT_CASES),
    "pledges.fulfilled": (lambda n: _("%(n)s项承诺完成践诺评议") % {"n": n}, UNIT_ITEMS),
}
STOCK = ("orgs.grassroots", "orgs.members")
def number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def is_rate(key: str) -> bool:
    return key in RATE_KEYS


RATE_KEYS = {"quiz.accuracy", "learning.five_ones_rate", "practical.completion", "hotline.satisfaction",
             "pledges.fulfilment"}


def change(value, before, *, unit: str, previous: str, rate: bool = False) -> str:
    """"较上周增加12场次" / "较上周减少3人次" / "与上周持平"; rates in 个百分点."""
    if value is None or before is None:
        return ""
    delta = round(value - before, 1)
    if delta == 0:
        return _("与%(p)s持平") % {"p": previous}
    if rate:
        word = _("较%(p)s提高%(d)s个百分点") if delta > 0 else _("较%(p)s下降%(d)s个百分点")
        return word % {"p": previous, "d": number(abs(delta))}
    word = _("较%(p)s增加%(d)s%(u)s") if delta > 0 else _("较%(p)s减少%(d)s%(u)s")
    return word % {"p": previous, "d": number(abs(delta)), "u": unit}


def _clause(row: dict, before, previous: str) -> str:
    key, value = row["key"], row["value"]
    if is_rate(key):
        text = _("%(label)s%(n)s%%") % {"label": _strip_pct(row["label"]), "n": number(value)}
        moved = change(value, before, unit="", previous=previous, rate=True)
    elif key in PHRASES:
        phrase, unit = PHRASES[key]
        text, moved = phrase(number(value)), change(value, before, unit=str(unit), previous=previous)
    else:
        text, moved = f"{row['label']}{number(value)}", change(value, before, unit="", previous=previous)
    return _("%(figure)s,%(change)s") % {"figure": text, "change": moved} if moved else text


def _strip_pct(label: str) -> str:
    return re.sub(r"[((]%[))]$", "", str(label))


def overview(*, org_name: str, period_word: str, previous_word: str, headlines: list[dict],
             before: dict[str, float | None]) -> list[str]:
    """总体情况: one sentence on the tree, then one per module with figures, each figure with its
    change on the previous period. `headlines` are the dashboard's rows; `before` the same keys
    for the previous period."""
    by_key = {r["key"]: r for r in headlines}
    paragraphs = []
    if any(by_key.get(k, {}).get("value") for k in STOCK):
        paragraphs.append(_("%(org)s现有基层党组织%(g)s个、党员%(m)s名。") % {
            "org": org_name, "g": number(by_key.get("orgs.grassroots", {}).get("value", 0)),
            "m": number(by_key.get("orgs.members", {}).get("value", 0))})
    modules: dict[str, list[dict]] = {}
    for row in headlines:
        if row["key"].startswith("orgs.") or row["value"] in (None, 0):
            continue
        modules.setdefault(row["key"].split(".", 1)[0], []).append(row)
    joiner = pgettext("briefing clause separator", ";")
    sentences = [joiner.join(_clause(r, before.get(r["key"]), previous_word) for r in rows) for rows in modules.values()]
    if sentences:
        first, *rest = sentences
        text = _("%(p)s,%(org)s%(s)s。") % {"p": period_word, "org": org_name, "s": first}
        text += "".join(_("%(s)s。") % {"s": s[0].upper() + s[1:]} for s in rest)
        paragraphs.append(text)
    else:
        paragraphs.append(_("%(p)s,%(org)s暂无工作数据报送。") % {"p": period_word, "org": org_name})
    return [cn_punct(p) for p in paragraphs]


def problems(*, urge: list[dict], fell: list[dict], overdue: list[AgendaItem], previous_word: str) -> list[str]:
    """存在问题: the units at the bottom of the ranking by name, the indicators that fell, the overdue tasks."""
    out = []
    if urge:
        out.append(_("部分单位工作推进相对滞后,%(names)s等单位人均参与较少。") % {
            "names": "、".join(c["name"] for c in urge)})
    if fell:
        out.append(_("%(names)s较%(p)s有所下降。") % {
            "names": "、".join(_strip_pct(r["label"]) for r in fell), "p": previous_word})
    if overdue:
        tasks = sorted({item.title.split(":", 1)[-1] for item in overdue})
        units = sorted({item.org_name for item in overdue})
        out.append(_("有%(n)d项任务逾期未完成(%(tasks)s),涉及%(units)s。") % {
            "n": len(tasks), "tasks": "、".join(tasks[:5]) + ("等" if len(tasks) > 5 else ""),
            "units": "、".join(units[:5]) + ("等单位" if len(units) > 5 else "")})
    if not out:
        out.append(_("本期未发现突出问题。"))
    return [cn_punct(p) for p in out]


def plans(*, urge: list[dict], open_items: list[AgendaItem], next_word: str) -> list[str]:
    """下步打算: from the open (overdue or due) tasks and the lagging units."""
    out = []
    tasks = sorted({item.title.split(":", 1)[-1] for item in open_items})
    if tasks:
        out.append(_("%(w)s重点推进%(tasks)s,对逾期和临期任务逐项督办,确保按时完成。") % {
            "w": next_word, "tasks": "、".join(tasks[:5]) + ("等任务" if len(tasks) > 5 else "")})
    if urge:
        out.append(_("加强对%(names)s等单位的督促指导,查找原因,补齐短板。") % {
            "names": "、".join(c["name"] for c in urge)})
    out.append(_("继续抓好宣讲、答题和“我为群众办实事”等重点工作,及时报送工作信息。"))
    return [cn_punct(p) for p in out]
