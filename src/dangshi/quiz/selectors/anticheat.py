"""The anti-cheat report: findings for the office to review before the selection. A finding
is never a verdict; only a reviewed flag (status "excluded", services/anticheat.py) keeps a
member out."""

from django.db.models import Count, F

from dangshi.orgs.selectors import member_subtree

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
                 "members": list(member_subtree(root="", active=None).filter(
                     pk__in=submitted.filter(**{field: g[field]}).values("member_id")).select_related("org")[:20])}
                for g in groups]

    return {
        "fast": list(fast),
        "shared_ip": shared("ip", SHARED_BY),
        "shared_device": shared("device", SHARED_BY),
        "patterns": shared("pattern", PATTERN_BY),
        "min_ms": MIN_MS_PER_QUESTION,
    }
