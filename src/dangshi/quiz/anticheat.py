"""The anti-cheat report: findings for the office to review before the selection. A finding
is never a verdict; only a reviewed flag (status "excluded") keeps a member out."""

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid
from dangshi.orgs.models import Member
from dangshi.quiz.models import Contest, FlagStatus, ReviewFlag

# Reading a question and its options takes a human more than this.
MIN_MS_PER_QUESTION = 1500
SHARED_BY = 5  # an IP or device used by this many members or more
PATTERN_BY = 3  # the same timing pattern seen in this many members or more


def report(*, attempts, limit: int = 200) -> dict:
    """`attempts`: the scoped, submitted attempts of a contest."""
    submitted = attempts.filter(submitted_at__isnull=False)
    fast = (submitted.filter(time_ms__lt=F("total") * MIN_MS_PER_QUESTION, total__gt=0)
            .select_related("member", "org").order_by("time_ms")[:limit])

    def shared(field: str, threshold: int):
        rows = submitted.exclude(**{f"{field}__isnull": True})
        if field != "ip":  # an IP field turns "" into NULL, and `= NULL` would drop every row
            rows = rows.exclude(**{field: ""})
        groups = (rows.values(field).annotate(people=Count("member_id", distinct=True))
                  .filter(people__gte=threshold).order_by("-people")[:limit])
        return [{"value": g[field], "people": g["people"],
                 "members": list(Member.objects.filter(
                     pk__in=submitted.filter(**{field: g[field]}).values("member_id")).select_related("org")[:20])}
                for g in groups]

    return {
        "fast": list(fast),
        "shared_ip": shared("ip", SHARED_BY),
        "shared_device": shared("device", SHARED_BY),
        "patterns": shared("pattern", PATTERN_BY),
        "min_ms": MIN_MS_PER_QUESTION,
    }


def flag_create(*, contest: Contest, member: Member, reason: str, actor=None) -> ReviewFlag:
    if not reason.strip():
        raise Invalid(_("请说明复核原因。"), field="reason")
    try:
        with transaction.atomic():
            flag = ReviewFlag.objects.create(contest=contest, member=member, org_id=member.org_id, reason=reason[:200])
            log_event("quiz.flag.created", actor=actor, obj=flag, data={"contest": contest.pk})
    except IntegrityError:
        raise Conflict(_("该党员已在复核名单中。")) from None
    return flag


def flag_review(*, flag: ReviewFlag, status: str, actor=None) -> ReviewFlag:
    if status not in (FlagStatus.CLEARED, FlagStatus.EXCLUDED):
        raise Invalid(_("复核结论无效。"), field="status")
    if flag.contest.certificates.exists():
        raise Conflict(_("评选已完成,不能再修改复核结论。"))
    with transaction.atomic():
        ReviewFlag.objects.filter(pk=flag.pk).update(status=status)
        flag.status = status
        log_event("quiz.flag.reviewed", actor=actor, obj=flag, data={"status": status})
    return flag
