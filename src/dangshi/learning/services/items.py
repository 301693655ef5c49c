"""Writes to learning content: items, their editorial flow, tags and the search index.

Reading records and points are in `services/reading.py`, pushes and broadcast in `services/channels.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core.links import is_web_link
from dangshi.core.provenance import Verification, review_check
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.learning.models import ContentPolicy, Item, ItemStatus, LearningColumn, Tag
from dangshi.learning.textindex import index_items, plain_text, sanitise
from dangshi.orgs.scope import Scope
from dangshi.orgs.selectors import orgs_with_paths

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

EDITABLE = {"title", "body", "answer", "source", "media_url", "duration_seconds", "month", "day", "event_year",
            "number", "public", "for_all", "for_leaders", "for_cadres", "for_ordinary", "for_mobile", "for_youth",
            "for_two_new", "audience_path", "image", "source_title", "source_publisher", "source_edition",
            "source_chapter", "source_url"}
# Where a reader can check the item, as its editor states it (page, passage and 已核 are the reviewer's).
SOURCE_FIELDS = ("source_title", "source_publisher", "source_edition", "source_chapter", "source_url")
# Editing any of these sends a reviewed item back to 未核.
REVIEWED_FIELDS = {"title", "body", "answer", "source", "month", "day", "event_year", "number", *SOURCE_FIELDS}
AUDIENCE_FLAGS = ("for_all", "for_leaders", "for_cadres", "for_ordinary", "for_mobile", "for_youth", "for_two_new")

# Editorial flow: (from, to) → who may take the step. "editor": an org admin or office
# user reaching the item's org; "office": an office user reaching it.
TRANSITIONS = {
    ("draft", "in_review"): "editor",
    ("in_review", "draft"): "office",
    ("in_review", "scheduled"): "office",
    ("scheduled", "withdrawn"): "office",
    ("published", "withdrawn"): "office",
    ("withdrawn", "draft"): "editor",
}


def _check_editor(scope: Scope, org: Org, *, office: bool = False) -> None:
    allowed = (scope.is_office if office else scope.is_admin) and scope.reaches(org)
    if not allowed:
        raise Refused(_("您无权编辑该组织的学习内容。") if not office else _("该步骤须由学习教育办公室操作。"))


def _editable(fields: dict) -> dict:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise Invalid(_("不能修改的字段:%(f)s") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0])
    return fields


def _validate(item: Item) -> None:
    if not item.title.strip():
        raise Invalid(_("标题不能为空。"), field="title")
    if (item.month is None) != (item.day is None):
        raise Invalid(_("月和日须同时填写。"), field="day")
    if item.month is not None:
        try:
            datetime(2000, item.month, item.day)  # a leap year, so 2月29日 is allowed
        except ValueError:
            raise Invalid(_("日期无效:%(m)s月%(d)s日") % {"m": item.month, "d": item.day}, field="day") from None
    if item.source_url and not item.source_url.startswith(("https://", "http://")):
        raise Invalid(_("网址应以 http:// 或 https:// 开头。"), field="source_url")
    for name in SOURCE_FIELDS:
        limit = Item._meta.get_field(name).max_length
        if len(getattr(item, name) or "") > limit:
            raise Invalid(_("%(f)s 不能超过 %(n)d 字。") % {"f": Item._meta.get_field(name).verbose_name, "n": limit},
                          field=name)
    if item.column.kind == "today" and item.month is None:
        raise Invalid(_("“党史上的今天”须填写月和日。"), field="month")
    if item.media_url and not is_web_link(item.media_url):
        raise Invalid(_("视频或音频链接须以 http:// 或 https:// 开头。"), field="media_url")
    if item.audience_path and not orgs_with_paths([item.audience_path]).exists():
        raise Invalid(_("限定的组织不存在。"), field="audience_path")


def tags_set(*, item: Item, names: list[str]) -> None:
    names = [n.strip()[:30] for n in names if n and n.strip()]
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=n) for n in dict.fromkeys(names) if n not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    item.tags.set(Tag.objects.filter(name__in=names))


def item_prepare(item: Item) -> None:
    """What every save of an item needs, from the console or the admin: the HTML sanitised
    (members see it as HTML), the plain text for search, and the date and audience checked."""
    item.body, item.answer = sanitise(item.body), sanitise(item.answer)
    item.plain = plain_text(item.body)
    _validate(item)


def item_create(*, scope: Scope, actor, column: LearningColumn, org: Org, title: str, body: str = "",
                tags: list[str] = (), **fields) -> Item:
    _check_editor(scope, org)
    item = Item(column=column, org=org, title=title.strip(), created_by=actor if getattr(actor, "pk", None) else None,
                **_editable({"body": body, **fields}))
    item_prepare(item)
    with transaction.atomic():
        item.save()
        tags_set(item=item, names=list(tags))
        index_items([item])
        log_event("learning.item.created", actor=actor, obj=item, data={"column": column.code, "title": item.title})
    return item


def item_update(*, scope: Scope, actor, item: Item, tags: list[str] | None = None, **fields) -> Item:
    _check_editor(scope, item.org)
    fields = _editable(fields)
    with transaction.atomic():
        # Lock the row: an edit racing a submit must not change text the reviewer already approved.
        item = Item.objects.select_for_update().select_related("column").get(pk=item.pk)
        if item.status not in (ItemStatus.DRAFT, ItemStatus.IN_REVIEW):
            raise Conflict(_("已排期或已发布的内容不能修改,请先撤回。"))
        for key, value in fields.items():
            setattr(item, key, value)
        if REVIEWED_FIELDS & set(fields) and item.verification != Verification.UNVERIFIED:
            item.verification = Verification.UNVERIFIED  # changed text is reviewed again
        item_prepare(item)
        item.save()
        if tags is not None:
            tags_set(item=item, names=tags)
        index_items([item])
        log_event("learning.item.updated", actor=actor, obj=item, data={"fields": sorted(fields)})
    return item


def item_transition(*, scope: Scope, actor, item: Item, to: str, publish_at: datetime | None = None,
                    now: datetime | None = None) -> Item:
    """Move an item one step along draft → in_review → scheduled → published → withdrawn.
    Scheduling at a time already past publishes at once."""
    now = now or timezone.now()
    need = TRANSITIONS.get((item.status, to))
    if need is None:
        raise Conflict(_("不能从“%(a)s”变为“%(b)s”。") % {"a": item.get_status_display(), "b": ItemStatus(to).label})
    _check_editor(scope, item.org, office=need == "office")
    if to == ItemStatus.SCHEDULED:
        if publish_at is None:
            raise Invalid(_("请填写发布时间。"), field="publish_at")
        if publish_at <= now:
            to = ItemStatus.PUBLISHED
    with transaction.atomic():
        # Compare-and-set on the status: two editors pressing different buttons at once
        # cannot both move the item; the second finds the status changed.
        changes = {"status": to}
        if publish_at is not None:
            changes["publish_at"] = publish_at
        if Item.objects.filter(pk=item.pk, status=item.status).update(**changes, updated_at=now) != 1:
            raise Conflict(_("内容状态已被他人修改,请刷新后重试。"))
        old = item.status
        item.refresh_from_db()
        log_event(f"learning.item.{to}", actor=actor, obj=item, data={"from": old, "to": to,
                  "publish_at": publish_at.isoformat() if publish_at else None})
    return item


def item_publish_due(*, now: datetime | None = None) -> int:
    """Flip scheduled items whose time has come to published (run by the scheduler; the
    feed already shows them from `publish_at`, so a late run hides nothing)."""
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        for item in Item.objects.filter(status=ItemStatus.SCHEDULED, publish_at__lte=now).select_related("org"):
            if Item.objects.filter(pk=item.pk, status=ItemStatus.SCHEDULED).update(status=ItemStatus.PUBLISHED):
                done += 1
                log_event("learning.item.published", obj=item, data={"from": "scheduled", "to": "published"})
    return done


# -- review of provenance (the console's 内容审核 queue) --------------------------------


def _check_reviewer(scope: Scope, item: Item) -> None:
    if not (scope.is_office and scope.reaches(item.org)):
        raise Refused(_("内容审核须由学习教育办公室操作。"))


def item_verify(*, scope: Scope, actor, item: Item, against: str, page: str = "", url: str = "",
                passage: str = "", today: date | None = None) -> Item:
    """Mark an item 已核: the reviewer names what they held (edition, or the URL) and the page
    or URL where they found it; the check is recorded under their name and today's date."""
    _check_reviewer(scope, item)
    fields = review_check(against=against, page=page, url=url, passage=passage)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.verification == Verification.VERIFIED:
            raise Conflict(_("该内容已核,无须重复核对。"))
        for key, value in fields.items():
            setattr(item, key, value)
        item.verification = Verification.VERIFIED
        item.verified_by = _reviewer_name(actor)
        item.verified_at = today or timezone.localdate()
        item.review_note = ""
        item.save()
        log_event("learning.item.verified", actor=actor, obj=item, data={"against": item.verified_against,
                                                                          "page": page, "url": url})
    return item


def item_return(*, scope: Scope, actor, item: Item, note: str) -> Item:
    """Return an item to its editors with a note: it is withheld from members until edited."""
    _check_reviewer(scope, item)
    note = note.strip()
    if not 2 <= len(note) <= 500:
        raise Invalid(_("请用 2 至 500 字写明退回原因。"), field="note")
    with transaction.atomic():
        if not Item.objects.filter(pk=item.pk).exclude(verification=Verification.RETURNED).update(
                verification=Verification.RETURNED, review_note=note, updated_at=timezone.now()):
            raise Conflict(_("该内容已退回。"))
        item.refresh_from_db()
        log_event("learning.item.returned", actor=actor, obj=item, data={"note": note})
    return item


def content_policy_set(*, scope: Scope, actor, publish_unverified: bool, now: datetime | None = None) -> ContentPolicy:
    """The office opts in (or out) of publishing 未核 starter content to members."""
    if not scope.is_root_office:  # one rule for the whole site: the top office sets it
        raise Refused(_("只有学习教育办公室可以修改内容发布规则。"))
    with transaction.atomic():
        policy, _created = ContentPolicy.objects.select_for_update().get_or_create(pk=1)
        policy.publish_unverified = bool(publish_unverified)
        policy.changed_by = actor if getattr(actor, "pk", None) else None
        policy.changed_at = now or timezone.now()
        policy.save()
        log_event("learning.policy.changed", actor=actor, obj=policy,
                  data={"publish_unverified": policy.publish_unverified})
    return policy


def _reviewer_name(actor) -> str:
    return (getattr(actor, "display_name", "") or getattr(actor, "username", "") or "")[:60]
