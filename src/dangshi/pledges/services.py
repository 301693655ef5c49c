"""Writes for member commitments (五诺): drafts, the state machine, progress and ratings."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.crypto import MOBILE, digest, normalise_phone
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.models import Member, Org
from dangshi.orgs.scope import Scope
from dangshi.pledges import grading
from dangshi.pledges.machine import BRANCH, OWNER, TRANSITIONS, Action, refusal
from dangshi.pledges.models import (
    Category,
    Pledge,
    PledgeItem,
    PledgeProgress,
    PledgeRating,
    PledgeRound,
    RaterKind,
    Scale,
)

MIN_ITEMS, MAX_ITEMS = 2, 5
_VERBS = {
    Action.SUBMIT: "submitted", Action.WITHDRAW: "withdrawn", Action.APPROVE: "approved", Action.RETURN: "returned",
    Action.REJECT: "rejected", Action.PUBLISH: "published", Action.SUBMIT_FULFILMENT: "fulfilment_submitted",
    Action.OPEN_RATING: "rating_opened", Action.CLOSE_RATING: "rated", Action.ARCHIVE: "archived",
}


# -- rounds ----------------------------------------------------------------------------
def round_create(*, org: Org, title: str, year: int, commit_by: date, rating_days: int = 14,
                 scale: str = Scale.GRADES, weight_self: int = 20, weight_peer: int = 40, weight_public: int = 40,
                 actor=None) -> PledgeRound:
    if weight_self + weight_peer + weight_public != 100:
        raise Invalid(_("自评、互评、群众评议的权重之和须为 100%。"), field="weight_self")
    if scale not in Scale.values:
        raise Invalid(_("评议方式无效。"), field="scale")
    with transaction.atomic():
        round_ = PledgeRound.objects.create(
            org=org, title=title, year=year, commit_by=commit_by, rating_days=rating_days, scale=scale,
            weight_self=weight_self, weight_peer=weight_peer, weight_public=weight_public,
        )
        log_event("pledges.round.created", actor=actor, obj=round_, org=org, data={"title": title, "year": year})
    return round_


def round_for(*, org: Org, today: date | None = None) -> PledgeRound | None:
    """The latest round of this year whose org holds `org`."""
    today = today or timezone.localdate()
    ancestors = [org.path[:i] for i in range(len(org.path), 0, -1)]
    return (PledgeRound.objects.filter(org__path__in=ancestors, year=today.year).order_by("-id").first()
            or PledgeRound.objects.filter(org__path__in=ancestors).order_by("-year", "-id").first())


# -- 承诺: the member's draft -----------------------------------------------------------
def _clean_items(items: list[dict]) -> list[PledgeItem]:
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        raise Invalid(_("每期承诺须有 %(lo)d 至 %(hi)d 项。") % {"lo": MIN_ITEMS, "hi": MAX_ITEMS}, field="items")
    out = []
    for n, raw in enumerate(items, start=1):
        what = str(raw.get("what") or "").strip()
        measure = str(raw.get("measure") or "").strip()
        category = str(raw.get("category") or "")
        due = raw.get("due_on")
        due = parse_date(due) if isinstance(due, str) else due
        if not what:
            raise Invalid(_("第 %(n)d 项:请填写承诺事项。") % {"n": n}, field=f"items.{n}.what", row=n)
        if not measure:
            raise Invalid(_("第 %(n)d 项:请填写可衡量的成果。") % {"n": n}, field=f"items.{n}.measure", row=n)
        if category not in Category.values:
            raise Invalid(_("第 %(n)d 项:请选择类别。") % {"n": n}, field=f"items.{n}.category", row=n)
        if not isinstance(due, date):
            raise Invalid(_("第 %(n)d 项:请填写完成时限。") % {"n": n}, field=f"items.{n}.due_on", row=n)
        out.append(PledgeItem(position=n, what=what[:200], measure=measure[:200], category=category, due_on=due))
    return out


def pledge_save_draft(*, member: Member, items: list[dict], actor=None, round_: PledgeRound | None = None,
                      today: date | None = None) -> Pledge:
    """Create the member's commitment for the round, or rewrite its items while it is a draft
    or has been returned (a returned one goes back to draft and keeps the branch's comment)."""
    round_ = round_ or round_for(org=member.org, today=today)
    if round_ is None:
        raise Conflict(_("本组织尚未开启党员承诺。"))
    clean = _clean_items(items)
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().filter(round=round_, member=member).first()
        if pledge is None:
            try:
                with transaction.atomic():
                    pledge = Pledge.objects.create(round=round_, member=member, org=member.org)
            except IntegrityError:  # a second request created it first (one commitment per member and round)
                raise Conflict(_("本期承诺已存在,请刷新后修改。")) from None
            verb = "created"
        else:
            if (pledge.state, Action.EDIT) not in TRANSITIONS:
                raise Conflict(refusal(pledge.state, Action.EDIT))
            pledge.state = TRANSITIONS[(pledge.state, Action.EDIT)].to
            pledge.save(update_fields=["state", "updated_at"])
            pledge.items.all().delete()
            verb = "edited"
        for item in clean:
            item.pledge = pledge
        PledgeItem.objects.bulk_create(clean)
        log_event(f"pledges.pledge.{verb}", actor=actor, obj=pledge, data={"items": len(clean)})
    return pledge


# -- the machine -----------------------------------------------------------------------
def _check_who(*, pledge: Pledge, who: str, scope: Scope) -> None:
    if who == OWNER and scope.member_id != pledge.member_id:
        raise Refused(_("只有承诺人本人可以进行此操作。"))
    if who == BRANCH:
        if not (scope.is_admin and scope.reaches(pledge.org)):
            raise Refused(_("只有所在支部的书记或上级组织可以进行此操作。"))
        if scope.member_id == pledge.member_id:
            raise Refused(_("不能审核或处理自己的承诺。"))


def pledge_act(*, pledge: Pledge, action: str, scope: Scope, actor=None, comment: str = "", summary: str = "",
               closes_on: date | None = None, today: date | None = None) -> Pledge:
    """Move a commitment one step along TRANSITIONS (not `rate`/`progress`/`edit`: see their services)."""
    step = TRANSITIONS.get((pledge.state, action))
    if step is None:
        raise Conflict(refusal(pledge.state, action), code="bad_transition")
    _check_who(pledge=pledge, who=step.who, scope=scope)
    today = today or timezone.localdate()
    now = timezone.now()
    fields: dict = {}
    if action in (Action.APPROVE, Action.RETURN, Action.REJECT):
        comment = comment.strip()
        if action != Action.APPROVE and not comment:
            raise Invalid(_("退回或不予通过时请填写审核意见。"), field="comment")
        fields.update(review_comment=comment, reviewed_by=actor if getattr(actor, "pk", None) else None,
                      reviewed_at=now)
    elif action == Action.PUBLISH:
        fields.update(review_released=True, published_at=now)  # the review goes public with the commitment
    elif action == Action.SUBMIT_FULFILMENT:
        if not summary.strip():
            raise Invalid(_("请填写践诺总结。"), field="summary")
        fields.update(fulfilment_summary=summary.strip())
    elif action == Action.OPEN_RATING:
        closes_on = closes_on or today + timedelta(days=pledge.round.rating_days)
        if closes_on < today:
            raise Invalid(_("评议截止日期不能早于今天。"), field="closes_on")
        fields.update(rating_closes_on=closes_on)
    elif action == Action.CLOSE_RATING:
        score = grading.weighted_score(
            weights=grading.round_weights(pledge.round), ratings=pledge.ratings.values_list("kind", "points"),
        )
        fields.update(grade_score=score, grade=grading.grade_label(score))
    elif action not in (Action.SUBMIT, Action.WITHDRAW, Action.ARCHIVE):
        raise Conflict(refusal(pledge.state, action), code="bad_transition")
    with transaction.atomic():
        # Compare-and-set on the state: of two reviewers acting at once (or a withdraw racing
        # an approval), only the one whose UPDATE still finds the old state wins.
        changed = Pledge.objects.filter(pk=pledge.pk, state=pledge.state).update(state=step.to, updated_at=now,
                                                                                 **fields)
        if not changed:
            raise Conflict(_("该承诺已被他人处理,请刷新后重试。"), code="stale")
        was = pledge.state
        pledge.refresh_from_db()
        log_event(f"pledges.pledge.{_VERBS[action]}", actor=actor, obj=pledge,
                  data={"from": was, "to": step.to, "action": action})
    return pledge


# -- 践诺 --------------------------------------------------------------------------------
def pledge_progress(*, pledge: Pledge, scope: Scope, note: str, evidence: str, item_id: int | None = None,
                    done: bool = False, actor=None, today: date | None = None) -> PledgeProgress:
    step = TRANSITIONS.get((pledge.state, Action.PROGRESS))
    if step is None:
        raise Conflict(refusal(pledge.state, Action.PROGRESS), code="bad_transition")
    _check_who(pledge=pledge, who=step.who, scope=scope)
    note, evidence = note.strip(), evidence.strip()
    if not note:
        raise Invalid(_("请填写进展情况。"), field="note")
    if not evidence:
        raise Invalid(_("请提供佐证材料(照片说明、链接或文件名)。"), field="evidence")
    item = None
    if item_id is not None:
        item = pledge.items.filter(pk=item_id).first()
        if item is None:
            raise Invalid(_("承诺事项不存在。"), field="item_id")
    with transaction.atomic():
        # Compare-and-set as in pledge_act: a progress report cannot land on a commitment
        # that has just moved on (e.g. the member submitted the fulfilment in another tab).
        if not Pledge.objects.filter(pk=pledge.pk, state=pledge.state).update(state=step.to,
                                                                               updated_at=timezone.now()):
            raise Conflict(_("该承诺已被他人处理,请刷新后重试。"), code="stale")
        pledge.state = step.to
        progress = PledgeProgress.objects.create(pledge=pledge, item=item, note=note, evidence=evidence,
                                                 on=today or timezone.localdate())
        if item is not None and done and not item.done:
            PledgeItem.objects.filter(pk=item.pk).update(done=True)
        log_event("pledges.pledge.progress", actor=actor, obj=pledge, data={"item": item_id, "done": done})
    return progress


# -- 评诺 --------------------------------------------------------------------------------
def pledge_rate(*, pledge: Pledge, scope: Scope, value, comment: str = "", actor=None, phone: str = "",
                today: date | None = None) -> PledgeRating:
    """One rating. The rater's kind follows from who they are: the member themself (self), a
    member of the same branch (peer), anyone else by their account, or an anonymous visitor
    by phone (public). The database keeps one rating per account and one per phone."""
    if (pledge.state, Action.RATE) not in TRANSITIONS:
        raise Conflict(refusal(pledge.state, Action.RATE), code="bad_transition")
    today = today or timezone.localdate()
    if pledge.rating_closes_on and today > pledge.rating_closes_on:
        raise Refused(_("评议已于 %(d)s 截止,不再接受评议。") % {"d": pledge.rating_closes_on.isoformat()},
                      code="rating_closed")
    points, label = grading.points_for(pledge.round.scale, value)
    user = actor if getattr(actor, "is_authenticated", False) else None
    phone_digest = ""
    if user is not None:
        if scope.member_id == pledge.member_id:
            kind = RaterKind.SELF
        elif scope.member_id and scope.member_org_path == pledge.org.path:
            kind = RaterKind.PEER
        else:
            kind = RaterKind.PUBLIC
    else:
        phone = normalise_phone(phone)
        if not MOBILE.fullmatch(phone):  # 10000000000, 12345678901: no such mobile number
            raise Invalid(_("请填写 11 位手机号码。"), field="phone")
        if phone == pledge.member.phone:
            raise Refused(_("不能以群众身份评价自己的承诺。"), code="own_pledge")
        kind, phone_digest = RaterKind.PUBLIC, digest(f"phone:{phone}")
    try:
        with transaction.atomic():
            rating = PledgeRating.objects.create(
                pledge=pledge, kind=kind, rater_user=user, phone_digest=phone_digest, points=points, label=label,
                comment=comment.strip()[:300],
            )
            log_event("pledges.rating.created", actor=user, obj=pledge, data={"kind": kind, "points": points})
    except IntegrityError:  # the constraint closes the race of two submissions from one rater
        raise Conflict(_("您已评价过该承诺,每个账号或手机号只能评价一次。"), code="already_rated") from None
    return rating
