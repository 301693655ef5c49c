"""Writes: a matter's life cycle, adjustments, progress and milestones. Every transition is one
transaction, one Transition row and one audit event."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.uploads import upload_check
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import campaign_for
from dangshi.practical.models import (
    Adjustment,
    Claim,
    ClaimRole,
    Evidence,
    Level,
    Matter,
    Milestone,
    ProgressReport,
    State,
    Tier,
    Transition,
)
from dangshi.practical.models import Field as MatterField
from dangshi.practical.rules import weighted_progress

if TYPE_CHECKING:
    from dangshi.orgs.models import Campaign, Org

OPEN_FOR_CLAIMS = (State.PUBLISHED, State.CLAIMED, State.IN_PROGRESS, State.ADJUSTED)
WORKING = (State.CLAIMED, State.IN_PROGRESS, State.ADJUSTED)


# -- checks --------------------------------------------------------------------------
def _require_admin(scope: Scope, org: Org) -> None:
    if not (scope.is_admin and scope.reaches(org)) and not scope.is_superuser:
        raise Refused(_("您无权管理该组织的实事。"))


def _require_office(scope: Scope, org: Org) -> None:
    if not (scope.is_office and scope.reaches(org)) and not scope.is_superuser:
        raise Refused(_("只有学习教育办公室可以执行此操作。"))


def _is_lead(actor, matter: Matter) -> bool:
    return Claim.objects.filter(matter=matter, member__user=actor, role=ClaimRole.LEAD).exists()


def _locked(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().get(pk=matter.pk)


def _move(matter: Matter, to: str, *, actor, reason: str = "", **fields) -> None:
    """Record a transition of a matter whose row the caller has locked."""
    frm = matter.state
    matter.state = to
    for k, v in fields.items():
        setattr(matter, k, v)
    matter.save(update_fields=["state", *fields])
    Transition.objects.create(matter=matter, from_state=frm, to_state=to, reason=reason[:300],
                              actor=actor if getattr(actor, "pk", None) else None)
    log_event(f"practical.matter.{to}", actor=actor, obj=matter, data={"from": frm, "to": to, "reason": reason[:300]})


# -- catalogue ---------------------------------------------------------------------
def _campaign_of(org: Org, *, today: date) -> Campaign:
    """The campaign that applies to `org` (orgs.selectors.campaign_for); a matter needs one."""
    found = campaign_for(org=org, today=today)
    if found is None:
        raise Conflict(_("该组织没有学习教育活动,不能创建实事。"))
    return found


def matter_create(*, campaign: Campaign, org: Org, title: str, planned_start: date, planned_end: date, actor, scope: Scope,
                  tier: str = Tier.GENERAL, level: str = Level.DISTRICT, field: str = MatterField.LIVELIHOOD,
                  description: str = "", budget=None, location: str = "", parent: Matter | None = None,
                  weight: int = 1, claimant_cap: int | None = None, tolerance: int = 10,
                  source_ref: str = "") -> Matter:
    _require_admin(scope, org)
    title = (title or "").strip()
    if not title:
        raise Invalid(_("请填写实事名称。"), field="title")
    if planned_end < planned_start:
        raise Invalid(_("计划完成日期不能早于计划开始日期。"), field="planned_end")
    if not org.path.startswith(campaign.root.path):
        raise Invalid(_("责任单位不在该学习教育活动范围内。"), field="org")
    if tier not in Tier.values or level not in Level.values or field not in MatterField.values:
        raise Invalid(_("类别、层级或领域取值无效。"), field="tier")
    if claimant_cap is not None and claimant_cap < 1:
        raise Invalid(_("认领人数上限至少为 1。"), field="claimant_cap")
    if weight < 1:
        raise Invalid(_("权重至少为 1。"), field="weight")
    if parent is not None and (parent.campaign_id != campaign.pk or not org.path.startswith(parent.org.path)):
        raise Invalid(_("子实事须属于同一活动,且责任单位在上级实事的责任单位之下。"), field="parent")
    with transaction.atomic():
        matter = Matter.objects.create(
            campaign=campaign, org=org, title=title, description=description, tier=tier, level=level, field=field,
            planned_start=planned_start, planned_end=planned_end, budget=budget, location=location, parent=parent,
            weight=weight, claimant_cap=claimant_cap, tolerance=tolerance, source_ref=source_ref)
        log_event("practical.matter.created", actor=actor, obj=matter,
                  data={"title": title, "tier": tier, "parent": parent.pk if parent else None, "source": source_ref})
        if parent is not None:
            _rollup(parent)
    return matter


def matter_draft_from_source(*, org: Org, title: str, description: str, source_ref: str, actor, scope: Scope) -> Matter:
    """What the people keep raising (12345 requests, say) becomes a draft matter of `org`,
    planned over 90 days from today in the campaign running over `org`, for its admins to
    complete and publish. `source_ref` names the source ("12345:GD2021…", at most 64
    characters); the calling module writes the description, and keeps personal data out of it.
    Idempotent on (org, source_ref): the same source again returns the same matter, unless
    that one was cancelled."""
    _require_admin(scope, org)
    if not (source_ref or "").strip():
        raise Invalid(_("请提供来源编号。"), field="source_ref")
    source_ref = source_ref.strip()[:64]
    existing = Matter.objects.filter(source_ref=source_ref, org=org).exclude(state=State.CANCELLED).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return matter_create(
        campaign=_campaign_of(org, today=today), org=org, title=(title or "")[:120], description=description,
        actor=actor, scope=scope, planned_start=today, planned_end=today + timedelta(days=90), tier=Tier.GENERAL,
        level=Level.UNIT if org.depth else Level.DISTRICT, field=MatterField.LIVELIHOOD, source_ref=source_ref)


def matter_source_linked(*, matter: Matter, actor, scope: Scope, source: str, count: int) -> None:
    """Record on the matter's side that `count` items of `source` (e.g. 12345 requests) were
    linked to it by another module, which keeps the link itself. A cancelled matter takes none."""
    _require_admin(scope, matter.org)
    with transaction.atomic():
        matter = _locked(matter)  # a cancel at the same moment: one of the two sees the other
        if matter.state == State.CANCELLED:
            raise Conflict(_("已取消的实事不能再关联诉求。"))
        log_event("practical.matter.source_linked", actor=actor, obj=matter,
                  data={"source": source, "count": count})


def matter_publish(*, matter: Matter, actor, scope: Scope) -> Matter:
    _require_admin(scope, matter.org)
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state != State.DRAFT:
            raise Conflict(_("只有草稿状态的实事可以发布。"))
        _move(matter, State.PUBLISHED, actor=actor)
    return matter


def matter_start(*, matter: Matter, actor, scope: Scope, today: date | None = None) -> Matter:
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state != State.CLAIMED:
            raise Conflict(_("只有已认领的实事可以开工。"))
        _move(matter, State.IN_PROGRESS, actor=actor, started_on=today or timezone.localdate())
    return matter


def matter_complete(*, matter: Matter, actor, scope: Scope, note: str, files=(), today: date | None = None) -> Matter:
    """Completion needs evidence: a note and at least one photo or file."""
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    if not (note or "").strip():
        raise Invalid(_("请填写完成情况说明。"), field="note")
    if not files:
        raise Invalid(_("办结须上传佐证材料(照片或文件)。"), field="evidence")
    for f in files:
        upload_check(f, kind="evidence", field="evidence")
    today = today or timezone.localdate()
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state not in (State.IN_PROGRESS, State.ADJUSTED):
            raise Conflict(_("只有推进中的实事可以办结。"))
        if matter.children.exclude(state__in=(State.COMPLETED, State.VERIFIED, State.CANCELLED)).exists():
            raise Conflict(_("还有子实事未完成。"))
        report = ProgressReport.objects.create(matter=matter, percent=100, note=note.strip(), reported_on=today,
                                               actor=actor)
        _attach(report, files)
        _move(matter, State.COMPLETED, actor=actor, progress=100, completed_on=today)
        if matter.parent_id:
            _rollup(matter.parent)
    return matter


def matter_verify(*, matter: Matter, actor, scope: Scope, today: date | None = None) -> Matter:
    _require_office(scope, matter.org)
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state != State.COMPLETED:
            raise Conflict(_("只有已完成的实事可以验收。"))
        _move(matter, State.VERIFIED, actor=actor, verified_on=today or timezone.localdate())
    return matter


def matter_suspend(*, matter: Matter, actor, scope: Scope, reason: str) -> Matter:
    _require_admin(scope, matter.org)
    if not (reason or "").strip():
        raise Invalid(_("请填写暂停原因。"), field="reason")
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state not in (State.PUBLISHED, *WORKING):
            raise Conflict(_("该状态的实事不能暂停。"))
        _move(matter, State.SUSPENDED, actor=actor, reason=reason, resume_state=matter.state)
    return matter


def matter_resume(*, matter: Matter, actor, scope: Scope) -> Matter:
    _require_admin(scope, matter.org)
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state != State.SUSPENDED:
            raise Conflict(_("只有暂停的实事可以恢复。"))
        _move(matter, matter.resume_state or State.PUBLISHED, actor=actor, resume_state="")
    return matter


def matter_cancel(*, matter: Matter, actor, scope: Scope, reason: str) -> Matter:
    _require_admin(scope, matter.org)
    if not (reason or "").strip():
        raise Invalid(_("请填写取消原因。"), field="reason")
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state in (State.COMPLETED, State.VERIFIED, State.CANCELLED):
            raise Conflict(_("已完成或已取消的实事不能取消。"))
        _move(matter, State.CANCELLED, actor=actor, reason=reason)
        if matter.parent_id:
            _rollup(matter.parent)
    return matter


def adjustment_request(*, matter: Matter, actor, scope: Scope, reason: str, new_planned_end: date | None = None) -> Adjustment:
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    if not (reason or "").strip():
        raise Invalid(_("请填写调整原因。"), field="reason")
    if new_planned_end is not None and new_planned_end < matter.planned_start:
        raise Invalid(_("调整后完成日期不能早于计划开始日期。"), field="new_planned_end")
    if matter.state not in WORKING:
        raise Conflict(_("只有已认领或推进中的实事可以申请调整。"))
    try:
        with transaction.atomic():
            adj = Adjustment.objects.create(matter=matter, reason=reason.strip(), new_planned_end=new_planned_end,
                                            requested_by=actor)
            log_event("practical.adjustment.requested", actor=actor, obj=adj, org=matter.org,
                      data={"matter": matter.pk, "reason": reason[:300]})
    except IntegrityError:  # adjustment_one_pending: a second request while one waits
        raise Conflict(_("已有待审批的调整申请。")) from None
    return adj


def adjustment_decide(*, adjustment: Adjustment, approve: bool, actor, scope: Scope) -> Adjustment:
    """An office user other than the requester approves (the matter becomes `adjusted`) or rejects."""
    matter = adjustment.matter
    _require_office(scope, matter.org)
    if adjustment.requested_by_id == getattr(actor, "pk", None):
        raise Refused(_("调整申请须由他人审批。"))
    with transaction.atomic():
        adj = Adjustment.objects.select_for_update().get(pk=adjustment.pk)
        if adj.approved is not None:
            raise Conflict(_("该调整申请已处理。"))
        adj.approved, adj.decided_by, adj.decided_at = approve, actor, timezone.now()
        adj.save(update_fields=["approved", "decided_by", "decided_at"])
        log_event("practical.adjustment.decided", actor=actor, obj=adj, org=matter.org,
                  data={"matter": matter.pk, "approved": approve})
        if approve:
            matter = _locked(matter)
            if matter.state not in WORKING:
                raise Conflict(_("实事状态已变化,不能调整。"))
            fields = {"planned_end": adj.new_planned_end} if adj.new_planned_end else {}
            _move(matter, State.ADJUSTED, actor=actor, reason=adj.reason, **fields)
    return adj


# -- progress ------------------------------------------------------------------------
def _attach(report: ProgressReport, files) -> None:
    for f in files:
        Evidence.objects.create(report=report, file=f, name=getattr(f, "name", "")[:200])


def progress_report(*, matter: Matter, percent: int, note: str, actor, scope: Scope, files=(), today: date | None = None
                    ) -> ProgressReport:
    """Record progress with evidence. A claimed matter starts with its first report."""
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    if not 0 <= percent <= 100:
        raise Invalid(_("进度须在 0 到 100 之间。"), field="percent")
    if not (note or "").strip():
        raise Invalid(_("请填写进展说明。"), field="note")
    for f in files:
        upload_check(f, kind="evidence", field="evidence")
    today = today or timezone.localdate()
    with transaction.atomic():
        matter = _locked(matter)
        if matter.state not in WORKING:
            raise Conflict(_("只有已认领或推进中的实事可以报告进展。"))
        if matter.children.exists():
            raise Conflict(_("有子实事的实事,进度由子实事加权汇总。"))
        if percent < matter.progress:
            raise Invalid(_("进度不能低于上次报告的 %(p)d%%。") % {"p": matter.progress}, field="percent")
        report = ProgressReport.objects.create(matter=matter, percent=percent, note=note.strip(), reported_on=today,
                                               actor=actor)
        _attach(report, files)
        if matter.state == State.CLAIMED:
            _move(matter, State.IN_PROGRESS, actor=actor, started_on=today)
        matter.progress = percent
        matter.save(update_fields=["progress"])
        log_event("practical.progress.reported", actor=actor, obj=report, org=matter.org,
                  data={"matter": matter.pk, "percent": percent, "files": len(files)})
        if matter.parent_id:
            _rollup(matter.parent)
    return report


def _rollup(parent: Matter) -> None:
    """A parent's progress is the weighted mean of its (not cancelled) children; up the chain."""
    while parent is not None:
        parent = _locked(parent)
        rows = list(parent.children.exclude(state=State.CANCELLED).values_list("weight", "progress"))
        parent.progress = weighted_progress(rows)
        parent.save(update_fields=["progress"])
        parent = parent.parent


def milestone_add(*, matter: Matter, title: str, due_on: date, actor, scope: Scope) -> Milestone:
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    if not (title or "").strip():
        raise Invalid(_("请填写节点名称。"), field="title")
    if matter.state in (State.CANCELLED, State.VERIFIED):
        raise Conflict(_("该实事已结束,不能添加节点。"))
    with transaction.atomic():
        ms = Milestone.objects.create(matter=matter, title=title.strip(), due_on=due_on)
        log_event("practical.milestone.created", actor=actor, obj=ms, org=matter.org,
                  data={"matter": matter.pk, "due_on": due_on.isoformat()})
    return ms


def milestone_done(*, milestone: Milestone, actor, scope: Scope, done_on: date | None = None) -> Milestone:
    matter = milestone.matter
    if not _is_lead(actor, matter):
        _require_admin(scope, matter.org)
    with transaction.atomic():
        # Compare-and-set: only an open milestone is closed, so two clicks log one event.
        changed = Milestone.objects.filter(pk=milestone.pk, done_on__isnull=True).update(
            done_on=done_on or timezone.localdate())
        if not changed:
            raise Conflict(_("该节点已完成。"))
        milestone.refresh_from_db()
        log_event("practical.milestone.done", actor=actor, obj=milestone, org=matter.org, data={"matter": matter.pk})
    return milestone
