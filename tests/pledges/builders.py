"""Test data for 承诺践诺, built through the real services."""

from datetime import date, timedelta

from dangshi.orgs.scope import scope_for
from dangshi.pledges import services, services_units
from dangshi.pledges.machine import Action
from dangshi.pledges.models import Pledge, PledgeRound, State

TODAY = date(2021, 6, 1)


def items(n: int = 2, due: date = date(2021, 12, 31)) -> list[dict]:
    cats = ["study", "service", "post", "integrity", "other"]
    return [{"what": f"承诺事项{i + 1}", "measure": f"完成{i + 1}次", "category": cats[i % 5], "due_on": due}
            for i in range(n)]


def round_(w, **kw) -> PledgeRound:
    def make():
        fields = {"title": "2021年度党员承诺", "year": 2021, "commit_by": date(2021, 3, 31), "weight_self": 20,
                  "weight_peer": 30, "weight_public": 50, **kw}
        return services.round_create(org=w.root, **fields)

    return w.once(("round", tuple(sorted(kw.items()))), make) if not kw else make()


def scope(w, persona: str):
    return scope_for(w.users[persona])


# The shortest path from a draft to each state: (action, persona) steps.
PATH = {
    State.DRAFT: [],
    State.SUBMITTED: [(Action.SUBMIT, "member_a")],
    State.RETURNED: [(Action.SUBMIT, "member_a"), (Action.RETURN, "admin_a")],
    State.APPROVED: [(Action.SUBMIT, "member_a"), (Action.APPROVE, "admin_a")],
    State.REJECTED: [(Action.SUBMIT, "member_a"), (Action.REJECT, "admin_a")],
    State.PUBLISHED: [(Action.SUBMIT, "member_a"), (Action.APPROVE, "admin_a"), (Action.PUBLISH, "admin_a")],
}
PATH[State.FULFILLING] = [*PATH[State.PUBLISHED], (Action.PROGRESS, "member_a")]
PATH[State.FULFILMENT_SUBMITTED] = [*PATH[State.FULFILLING], (Action.SUBMIT_FULFILMENT, "member_a")]
PATH[State.RATING_OPEN] = [*PATH[State.FULFILMENT_SUBMITTED], (Action.OPEN_RATING, "admin_a")]
PATH[State.RATED] = [*PATH[State.RATING_OPEN], (Action.CLOSE_RATING, "admin_a")]
PATH[State.ARCHIVED] = [*PATH[State.RATED], (Action.ARCHIVE, "admin_a")]


def do(w, pledge: Pledge, action: str, persona: str, **kw) -> Pledge:
    sc = scope(w, persona)
    actor = w.users[persona]
    if action == Action.PROGRESS:
        services.pledge_progress(pledge=pledge, scope=sc, actor=actor, note="进展", evidence="照片", today=TODAY)
        pledge.refresh_from_db()
        return pledge
    if action == Action.RATE:
        services.pledge_rate(pledge=pledge, scope=sc, actor=actor, value=kw.get("value", "优秀"), today=TODAY)
        return pledge
    kw.setdefault("comment", "请细化" if action in (Action.RETURN, Action.REJECT) else "")
    kw.setdefault("summary", "已全部完成" if action == Action.SUBMIT_FULFILMENT else "")
    return services.pledge_act(pledge=pledge, action=action, scope=sc, actor=actor, today=TODAY, **kw)


OWNERS = {"member_a": ("member_a", "admin_a"), "member_c": ("member_c", "office")}


def pledge_in(w, state: str, *, member_key: str = "member_a", n_items: int = 2) -> Pledge:
    """A commitment of `member_key` brought to `state` along PATH, by its owner and a secretary over it."""
    member = w.members[member_key]
    owner, secretary = OWNERS[member_key]
    pledge = services.pledge_save_draft(member=member, items=items(n_items), round_=round_(w), today=TODAY)
    for action, persona in PATH[state]:
        pledge = do(w, pledge, action, owner if persona == "member_a" else secretary)
    assert pledge.state == state
    return pledge


def unit(w, org=None, *, year: int = 2021, title: str = "为辖区居民办好一件实事"):
    org = org or w.branch_a
    return services_units.unit_pledge_create(org=org, scope=scope(w, "office"), year=year, title=title,
                                             measure="年底前完成", due_on=date(year, 12, 31), target="优化营商环境")


def checklist(w, orgs=None):
    orgs = orgs if orgs is not None else [w.branch_a, w.branch_b]
    return services_units.checklist_create(org=w.root, scope=scope(w, "office"), title="履新九个一", year=2021,
                                           items=services_units.LUXIN_NINE, orgs=orgs)


def later(days: int) -> date:
    return TODAY + timedelta(days=days)
