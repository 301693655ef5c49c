"""亮诺: the public pages show published commitments with name and branch, nothing more."""

import re
from datetime import date

import pytest

from dangshi.core.demo import DemoContext
from dangshi.orgs import demo as orgs_demo
from dangshi.orgs.models import Member
from dangshi.pledges import demo as pledges_demo
from dangshi.pledges.machine import Action
from dangshi.pledges.models import PUBLIC_STATES, Pledge, State
from tests.pledges import builders as b


@pytest.fixture
def small_demo(db):
    ctx = DemoContext(members=1600, today=date(2021, 6, 1), log=lambda *_: None)
    orgs_demo.build(ctx)
    pledges_demo.build(ctx)
    return ctx


def test_the_public_pages_contain_no_phone_or_id_number_of_any_demo_member(small_demo, client):
    ctx = small_demo
    secrets = [s for pair in Member.objects.values_list("phone", "id_number") for s in pair if s]
    assert len(secrets) >= 3000
    public = Pledge.objects.filter(state__in=PUBLIC_STATES)
    assert public.count() > 300
    bodies = []
    root_pages = (public.count() + 19) // 20
    for n in range(1, root_pages + 1):
        bodies.append(client.get(f"/pledges/public/org/{ctx.root.code}/?page={n}"))
    branch1 = ctx.orgs["branch1"]
    bodies.append(client.get(f"/pledges/public/org/{branch1.code}/"))
    bodies.append(client.get(f"/pledges/public/showcase/{ctx.root.code}/?year=2021"))
    for pk in public.filter(org=branch1).values_list("pk", flat=True):
        bodies.append(client.get(f"/pledges/public/p/{pk}/"))
    for pk in public.order_by("?").values_list("pk", flat=True)[:40]:
        bodies.append(client.get(f"/pledges/public/p/{pk}/"))
    names_seen = 0
    for response in bodies:
        assert response.status_code == 200
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body
        # Nothing that even looks like a mainland mobile number or an ID number.
        assert not re.search(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)", body)
        names_seen += body.count("pl-card")
    assert names_seen >= public.count()  # every published commitment was on a page searched


def test_the_board_shows_published_commitments_with_name_branch_progress_and_grade(world, client):
    published = b.pledge_in(world, State.RATED)
    hidden = b.pledge_in(world, State.SUBMITTED, member_key="member_c")
    body = client.get(f"/pledges/public/org/{world.root.code}/").content.decode()
    assert "甲支部党员" in body and "测试社区第一党支部" in body and "承诺事项1" in body
    assert published.grade in body
    assert "丙支部党员" not in body  # submitted, not yet published
    assert client.get(f"/pledges/public/p/{hidden.pk}/").status_code == 404
    # The branch's page is the branch's subtree only.
    assert "甲支部党员" not in client.get(f"/pledges/public/org/{world.branch_c.code}/").content.decode()


def test_the_branch_review_stays_internal_until_published(world, client):
    pledge = b.pledge_in(world, State.SUBMITTED)
    pledge = b.do(world, pledge, Action.APPROVE, "admin_a", comment="内部审核意见:事项具体")
    assert not pledge.review_released
    assert client.get(f"/pledges/public/p/{pledge.pk}/").status_code == 404
    assert "内部审核意见" not in client.get(f"/pledges/public/org/{world.root.code}/").content.decode()
    pledge = b.do(world, pledge, Action.PUBLISH, "admin_a")
    assert pledge.review_released
    assert "内部审核意见" in client.get(f"/pledges/public/p/{pledge.pk}/").content.decode()


def test_the_board_reads_a_fixed_number_of_queries_however_many_commitments(world, client,
                                                                           django_assert_max_num_queries):
    from dangshi.pledges.models import PledgeItem, PledgeProgress
    from tests import factories as f

    round_ = b.round_(world)
    for n in range(15):
        member = f.member(world.branch_a, f"党员{n}")
        pledge = Pledge.objects.create(round=round_, member=member, org=world.branch_a, state=State.FULFILLING)
        PledgeItem.objects.bulk_create(PledgeItem(pledge=pledge, position=i, what=f"事项{i}", measure="1 次",
                                                  category="study", due_on=date(2021, 12, 31)) for i in (1, 2, 3))
        PledgeProgress.objects.create(pledge=pledge, note="推进", evidence="照片", on=date(2021, 5, 1))
    with django_assert_max_num_queries(12):
        body = client.get(f"/pledges/public/org/{world.root.code}/").content.decode()
    assert body.count("pl-card") == 15
