"""Builders for practical tests, on top of the real services."""

from datetime import date

from dangshi.orgs.models import Campaign
from dangshi.orgs.scope import scope_for
from dangshi.practical import services
from dangshi.practical.models import Matter, State


def campaign(w, *, starts_on=date(2021, 1, 1), ends_on=date(2030, 12, 31)) -> Campaign:
    return w.once("practical.campaign", lambda: Campaign.objects.create(name="党史学习教育", root=w.root, starts_on=starts_on,
                                                              ends_on=ends_on))


def matter(w, *, org=None, actor=None, publish=True, title="社区老旧小区加装电梯", **kw) -> Matter:
    kw.setdefault("planned_start", date(2021, 3, 1))
    kw.setdefault("planned_end", date(2021, 12, 31))
    m = services.matter_create(campaign=campaign(w), org=org or w.branch_a, title=title,
                               actor=actor or w.users["office"], scope=scope_for(actor or w.users["office"]), **kw)
    if publish:
        m = services.matter_publish(matter=m, actor=actor or w.users["office"], scope=scope_for(actor or w.users["office"]))
    return m


def in_progress(w, m: Matter, *, member=None, today=date(2021, 4, 1)) -> Matter:
    """Claimed by a leader of 支部A and started."""
    from dangshi.orgs.models import MemberCategory
    from tests import factories as f

    if member is None:
        u = f.user(f"lead{m.pk}")
        member = f.member(m.org, "牵头领导", user=u, category=MemberCategory.LEADER)
    services.matter_claim(matter=m, member=member, actor=member.user)
    services.matter_start(matter=m, actor=member.user, scope=scope_for(member.user), today=today)
    m.refresh_from_db()
    assert m.state == State.IN_PROGRESS
    return m
