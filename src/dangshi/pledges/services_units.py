"""Writes for unit commitment lists (承诺清单 → 成果展示) and checklists (履新九个一)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.pledges.models import (
    Checklist,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTick,
    UnitPledge,
    UnitProgress,
    UnitState,
)

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

LUXIN_NINE = ["一次集中亮相", "一份履职承诺", "一堂初心党课", "一次主题党日", "一次廉政谈话", "一场交接仪式",
              "一次全员轮训", "一次民情走访", "一件开门实事"]


def _require_reach(scope: Scope, org: Org) -> None:
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("只能管理本组织及下级组织的承诺。"))


def unit_pledge_create(*, org: Org, scope: Scope, year: int, title: str, measure: str, due_on: date,
                       target: str = "", actor=None) -> UnitPledge:
    _require_reach(scope, org)
    title, measure = title.strip(), measure.strip()
    if not title:
        raise Invalid(_("请填写承诺事项。"), field="title")
    if not measure:
        raise Invalid(_("请填写完成标准。"), field="measure")
    with transaction.atomic():
        position = UnitPledge.objects.filter(org=org, year=year).count() + 1
        unit = UnitPledge.objects.create(org=org, year=year, title=title[:200], measure=measure[:200],
                                         due_on=due_on, target=target.strip()[:200], position=position)
        log_event("pledges.unit.created", actor=actor, obj=unit, data={"year": year, "title": unit.title})
    return unit


def unit_list_publish(*, org: Org, scope: Scope, year: int, actor=None) -> int:
    """Publish (公开承诺) the org's drafted list for the year."""
    _require_reach(scope, org)
    with transaction.atomic():
        n = UnitPledge.objects.filter(org=org, year=year, state=UnitState.DRAFT).update(state=UnitState.PUBLISHED)
        if not n:
            raise Conflict(_("没有待公开的承诺事项。"))
        log_event("pledges.unit.published", actor=actor, obj=org, data={"year": year, "count": n})
    return n


def unit_progress(*, unit: UnitPledge, scope: Scope, percent: int, note: str, evidence: str = "", result: str = "",
                  actor=None, today: date | None = None) -> UnitProgress:
    """Report progress; at 100 % with a result the commitment is kept (已兑现)."""
    _require_reach(scope, unit.org)
    if unit.state == UnitState.DRAFT:
        raise Conflict(_("承诺清单公开后才能报告进展。"))
    if unit.state == UnitState.DONE:
        raise Conflict(_("该承诺已兑现,不能再报告进展。"))
    if not 0 <= percent <= 100:
        raise Invalid(_("进度须在 0 到 100 之间。"), field="percent")
    if percent < unit.percent:
        raise Invalid(_("进度不能低于上次报告的 %(p)d%%。") % {"p": unit.percent}, field="percent")
    if not note.strip():
        raise Invalid(_("请填写进展情况。"), field="note")
    if percent == 100 and not (result.strip() and evidence.strip()):
        raise Invalid(_("完成时请填写践诺成果并提供佐证材料。"), field="result")
    with transaction.atomic():
        fields = {"percent": percent}
        if percent == 100:
            fields.update(state=UnitState.DONE, result=result.strip(), evidence=evidence.strip())
        # Compare-and-set on the state: a second, concurrent report cannot complete it twice.
        if not UnitPledge.objects.filter(pk=unit.pk, state=unit.state).update(**fields):
            raise Conflict(_("该承诺已被他人更新,请刷新后重试。"))
        update = UnitProgress.objects.create(unit_pledge=unit, percent=percent, note=note.strip(),
                                             evidence=evidence.strip(), on=today or timezone.localdate())
        unit.refresh_from_db()
        log_event("pledges.unit.progress", actor=actor, obj=unit, data={"percent": percent})
    return update


def checklist_create(*, org: Org, scope: Scope, title: str, year: int, items: list[str], orgs: list[Org],
                     description: str = "", actor=None) -> Checklist:
    _require_reach(scope, org)
    items = [i.strip() for i in items if i.strip()]
    if not items:
        raise Invalid(_("清单至少要有一项。"), field="items")
    if any(not o.path.startswith(org.path) for o in orgs):
        raise Invalid(_("清单对象须在发起组织范围内。"), field="orgs")
    with transaction.atomic():
        checklist = Checklist.objects.create(org=org, title=title, year=year, description=description)
        ChecklistItem.objects.bulk_create(ChecklistItem(checklist=checklist, position=n, title=t[:80])
                                          for n, t in enumerate(items, start=1))
        ChecklistAssignment.objects.bulk_create(ChecklistAssignment(checklist=checklist, org=o) for o in orgs)
        log_event("pledges.checklist.created", actor=actor, obj=checklist, org=org,
                  data={"title": title, "items": len(items), "orgs": len(orgs)})
    return checklist


def checklist_tick(*, item: ChecklistItem, org: Org, scope: Scope, done_on: date, evidence: str,
                   actor=None, today: date | None = None) -> ChecklistTick:
    _require_reach(scope, org)
    if not ChecklistAssignment.objects.filter(checklist_id=item.checklist_id, org=org).exists():
        raise Invalid(_("该组织不在此清单范围内。"), field="org")
    if not evidence.strip():
        raise Invalid(_("请提供佐证材料。"), field="evidence")
    if done_on > (today or timezone.localdate()):
        raise Invalid(_("完成日期不能晚于今天。"), field="done_on")
    try:
        with transaction.atomic():
            tick = ChecklistTick.objects.create(item=item, org=org, done_on=done_on, evidence=evidence.strip())
            log_event("pledges.checklist.ticked", actor=actor, obj=tick, org=org, data={"item": item.title})
    except IntegrityError:  # one tick per item and org, also under two clicks at once
        raise Conflict(_("该事项已完成登记。")) from None
    return tick
