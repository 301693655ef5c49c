"""Writes by and for people: members' deeds (confirmed by their branch) and residents' ratings.

Residents' phones never reach the database: a rating carries only a keyed digest of the
verified phone (or of the account), which is what "one rating per voter" is enforced on.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import ratelimit
from dangshi.core.context import current
from dangshi.core.crypto import digest
from dangshi.core.phones import normalise_phone
from dangshi.core.uploads import upload_check
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import Scope
from dangshi.practical.models import DONE_STATES, Deed, DeedCategory, DeedStatus, Matter, Rating

if TYPE_CHECKING:
    from dangshi.orgs.models import Member

logger = logging.getLogger("dangshi.practical")
CODE_TTL = 600
CODE_TRIES = 5  # tries at one code before it is void
CODE_TRIES_PER_ADDRESS = 30  # code tries per client address per CODE_TTL, whatever the phone


def deed_log(*, member: Member, actor, category: str, title: str, happened_on: date, beneficiaries: int = 1,
             description: str = "", evidence=None, today: date | None = None) -> Deed:
    """A member records what they did for people; their branch confirms it later."""
    if member.user_id != getattr(actor, "pk", None):
        raise Refused(_("只能登记本人办的实事。"))
    if category not in DeedCategory.values:
        raise Invalid(_("请选择类别。"), field="category")
    if not (title or "").strip():
        raise Invalid(_("请填写事项。"), field="title")
    if beneficiaries < 1:
        raise Invalid(_("受益群众至少 1 人。"), field="beneficiaries")
    if happened_on > (today or timezone.localdate()):
        raise Invalid(_("日期不能晚于今天。"), field="happened_on")
    if evidence:
        upload_check(evidence, kind="evidence", field="evidence")
    with transaction.atomic():
        deed = Deed.objects.create(member=member, org=member.org, category=category, title=title.strip()[:120],
                                   description=description, beneficiaries=beneficiaries, happened_on=happened_on,
                                   evidence=evidence or "")
        log_event("practical.deed.logged", actor=actor, obj=deed,
                  data={"category": category, "beneficiaries": beneficiaries})
    return deed


def deed_decide(*, deed: Deed, approve: bool, actor, scope: Scope) -> Deed:
    if not (scope.is_admin and scope.reaches(deed.org)):
        raise Refused(_("只有所在党组织可以确认。"))
    with transaction.atomic():
        # Compare-and-set on the status: a deed is decided once, whoever clicks first.
        changed = Deed.objects.filter(pk=deed.pk, status=DeedStatus.PENDING).update(
            status=DeedStatus.CONFIRMED if approve else DeedStatus.REJECTED, decided_by=actor,
            decided_at=timezone.now())
        if not changed:
            raise Conflict(_("该事项已处理。"))
        deed.refresh_from_db()
        log_event(f"practical.deed.{deed.status}", actor=actor, obj=deed, data={"category": deed.category})
    return deed


# -- residents' ratings --------------------------------------------------------------
def _send_sms(phone: str, text: str) -> None:
    """Sent through settings.PRACTICAL_SMS_SENDER (a dotted path to `send(phone, text)`);
    without one (development), the code goes to the log with the phone masked."""
    sender = settings.PRACTICAL_SMS_SENDER
    if sender:
        import_string(sender)(phone, text)
    else:
        logger.info("rating code for %s****%s: %s", phone[:3], phone[-4:], text)


def rating_code_request(*, matter: Matter, phone: str, client_ip: str = "") -> str:
    """Send a one-time code to `phone` so its owner can rate. Returns the code (for the sender
    and for tests); pages never show it."""
    phone = normalise_phone(phone, field="phone")
    if matter.state not in DONE_STATES:
        raise Conflict(_("实事完成后才能评价。"))
    ratelimit.check(f"practical-code:{digest(phone)}", limit=3, window=600)
    if client_ip:
        ratelimit.check(f"practical-code-ip:{client_ip}", limit=20, window=600)
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.set(f"practical-code:{matter.pk}:{digest(phone)}", code, CODE_TTL)
    transaction.on_commit(lambda: _send_sms(phone, _("您的评价验证码:%(c)s,10 分钟内有效。") % {"c": code}))
    return code


def rating_submit(*, matter: Matter, score: int, phone: str = "", code: str = "", user=None) -> Rating:
    """One rating per verified phone or per account, on a completed matter."""
    if matter.state not in DONE_STATES:
        raise Conflict(_("实事完成后才能评价。"))
    if not 1 <= score <= 5:
        raise Invalid(_("评分须为 1 到 5 星。"), field="score")
    if user is not None and user.is_authenticated:
        voter = digest(f"practical-user:{user.pk}")
    else:
        phone = normalise_phone(phone, field="phone")
        key = f"practical-code:{matter.pk}:{digest(phone)}"
        ratelimit.check(f"practical-try-ip:{current().ip or 'unknown'}", limit=CODE_TRIES_PER_ADDRESS, window=CODE_TTL)
        expected = cache.get(key)
        # Every try counts against the code: after CODE_TRIES the code is gone and a new one must
        # be sent (itself limited to 3 per phone per 10 minutes), so a 6-digit code cannot be guessed.
        if expected and not ratelimit.hit(f"practical-try:{key}", limit=CODE_TRIES, window=CODE_TTL):
            cache.delete(key)
            raise Invalid(_("验证码错误次数过多,请重新获取验证码。"), field="code", code="too_many_tries")
        if not expected or not secrets.compare_digest(expected, (code or "").strip()):
            raise Invalid(_("验证码不正确或已过期。"), field="code")
        cache.delete(key)
        voter = digest(f"practical-phone:{phone}")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(matter=matter, voter_digest=voter, score=score)
            log_event("practical.rating.created", actor=user, obj=rating, org=matter.org,
                      data={"matter": matter.pk, "score": score})
    except IntegrityError:  # rating_once_per_voter, also under a race between two submits
        raise Conflict(_("您已评价过该实事。")) from None
    return rating
