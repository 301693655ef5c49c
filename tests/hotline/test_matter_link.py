"""A recurring complaint becomes a practical matter (转为实事), or joins an existing one: scoped
both for the requests and for the matter, audited on both sides, and no caller's personal data
ever lands in the matter (which the public board shows once it is published)."""

import pytest
from django.urls import reverse

from dangshi.audit.models import AuditEvent
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.hotline import services
from dangshi.hotline.models import Action, Request
from dangshi.orgs.scope import scope_for
from dangshi.practical import services as practical_services
from dangshi.practical.models import Matter, State
from tests.hotline.conftest import CALLER_NAME, CALLER_PHONE, at
from tests.practical.helpers import campaign, matter

LAMP = {"content": "小区路灯不亮,联系 13655556666"}


@pytest.fixture
def lamps(hot):
    """Three lamp complaints dispatched to 支部A (the same 问题分类), with the campaign that
    a matter needs."""
    campaign(hot.w)
    reqs = [hot.dispatched(when=at(day), **LAMP) for day in (1, 2, 3)]
    Request.objects.filter(pk__in=[r.pk for r in reqs]).update(category_1="城市管理", category_2="市政设施",
                                                               category_3="路灯")
    return list(Request.objects.filter(pk__in=[r.pk for r in reqs]).order_by("pk"))


def _api(hot, persona, req, **payload):
    return hot.w.client(persona).post(f"/api/v1/hotline/requests/{req.pk}/matter", payload,
                                      content_type="application/json")


def test_requests_become_one_draft_matter_citing_numbers_and_no_personal_data(hot, lamps):
    m = services.requests_to_matter(reqs=lamps, scope=hot.scope("office"), actor=hot.user("office"),
                                    title="小区路灯集中整治", description=f"{CALLER_NAME}反映,电话 {CALLER_PHONE}")
    assert (m.state, m.org, m.title) == (State.DRAFT, hot.w.branch_a, "小区路灯集中整治")
    assert all(r.number in m.description for r in lamps) and "城市管理/市政设施/路灯" in m.description
    stored = f"{m.title} {m.description} {m.source_ref} {m.location}"
    assert CALLER_PHONE not in stored and "***" in m.description
    # The caller's name is not taken from the request; what the user typed is theirs (only numbers are blanked).
    assert m.description.count(CALLER_NAME) == 1
    assert m.source_ref == f"12345:{lamps[0].number}+2"
    for req in lamps:
        req.refresh_from_db()
        assert req.matter == m and req.updates.filter(action=Action.LINK, note__contains=str(m.pk)).exists()
    linked = AuditEvent.objects.filter(action="hotline.request.link")
    assert linked.count() == 3 and all(e.data["matter"] == m.pk for e in linked)
    assert AuditEvent.objects.filter(action="practical.matter.created", object_id=str(m.pk)).exists()


def test_a_description_left_blank_still_cites_the_requests_only(hot, lamps):
    m = services.requests_to_matter(reqs=lamps[:1], scope=hot.scope("admin_a"), actor=hot.user("admin_a"),
                                    title="路灯")
    assert m.description.startswith("由 12345 市民诉求转为实事") and lamps[0].number in m.description
    assert CALLER_NAME not in m.description and CALLER_PHONE not in m.description


def test_requests_of_different_classifications_are_not_turned_over_together(hot, lamps):
    other = hot.dispatched()
    with pytest.raises(Invalid) as exc:
        services.requests_to_matter(reqs=[lamps[0], other], scope=hot.scope("office"), actor=hot.user("office"),
                                    title="x")
    assert exc.value.field == "requests"
    assert not Matter.objects.exists()


def test_a_linked_request_is_not_made_a_second_matter_but_may_move_to_another(hot, lamps):
    office, scope = hot.user("office"), hot.scope("office")
    first = services.requests_to_matter(reqs=lamps[:1], scope=scope, actor=office, title="路灯一")
    with pytest.raises(Conflict):
        services.requests_to_matter(reqs=lamps[:2], scope=scope, actor=office, title="路灯二")
    other = matter(hot.w, title="背街小巷路灯亮化")
    services.requests_link_matter(reqs=lamps[:2], scope=scope, actor=office, matter=other)
    moved = Request.objects.get(pk=lamps[0].pk)
    assert moved.matter == other
    assert moved.updates.filter(action=Action.LINK).order_by("-id").first().note.endswith(f"原关联实事编号 {first.pk}")
    with pytest.raises(Conflict):
        services.requests_link_matter(reqs=lamps[:2], scope=scope, actor=office, matter=other)
    event = AuditEvent.objects.get(action="practical.matter.source_linked")
    assert (event.object_id, event.data) == (str(other.pk), {"source": "12345", "count": 2})


def test_a_cancelled_matter_takes_no_requests(hot, lamps):
    m = matter(hot.w)
    practical_services.matter_cancel(matter=m, actor=hot.user("office"), scope=scope_for(hot.user("office")), reason="并入其他实事")
    with pytest.raises(Conflict):
        services.requests_link_matter(reqs=lamps, scope=hot.scope("office"), actor=hot.user("office"), matter=m)
    assert not Request.objects.filter(matter__isnull=False).exists()


def test_a_co_handling_org_sees_the_request_but_may_not_turn_it_over(hot):
    campaign(hot.w)
    req = hot.new()
    req = services.request_dispatch(req=req, scope=hot.scope("office"), actor=hot.user("office"),
                                    org=hot.w.branch_a, co_orgs=[hot.w.branch_b])
    with pytest.raises(Refused):
        services.requests_to_matter(reqs=[req], scope=hot.scope("admin_b"), actor=hot.user("admin_b"), title="x")
    assert _api(hot, "admin_b", req, title="x").status_code == 403
    page = reverse("hotline:console_request_matter", kwargs={"request_id": req.pk})
    assert hot.w.client("admin_b").get(page).status_code == 404
    assert not Matter.objects.exists()


def test_api_creates_then_links_and_answers_404_out_of_scope(hot, lamps):
    r = _api(hot, "admin_a", lamps[0], title="路灯整治", requests=[lamps[1].pk])
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["created"] and body["state"] == "draft"
    assert body["requests"] == sorted([lamps[0].number, lamps[1].number])
    other = matter(hot.w, title="背街小巷路灯亮化")
    r = _api(hot, "admin_a", lamps[2], matter_id=other.pk)
    assert r.status_code == 200 and r.json()["requests"] == [lamps[2].number]
    assert hot.w.client("admin_a").get(f"/api/v1/hotline/requests/{lamps[2].pk}").json()["matter_id"] == other.pk

    theirs = matter(hot.w, org=hot.w.branch_b, actor=hot.user("admin_b"), title="乙支部实事")
    elsewhere = hot.dispatched(org=hot.w.branch_b)
    fresh = hot.dispatched()
    assert _api(hot, "admin_a", fresh, matter_id=theirs.pk).status_code == 404  # the matter is out of reach
    assert _api(hot, "admin_a", fresh, title="x", requests=[elsewhere.pk]).status_code == 404  # so is a request
    assert _api(hot, "admin_a", fresh, title="x", org=hot.w.branch_b.code).status_code == 404  # and the org
    for persona in ("admin_b", "member_a", "member_c", "outsider"):
        assert _api(hot, persona, fresh, title="x").status_code == 404
    assert hot.w.client(None).post(f"/api/v1/hotline/requests/{fresh.pk}/matter", {"title": "x"},
                                   content_type="application/json").status_code == 401
    fresh.refresh_from_db()
    assert fresh.matter_id is None and Matter.objects.count() == 3


def test_console_page_turns_requests_over_and_the_matter_lists_them_masked(hot, lamps):
    page = reverse("hotline:console_request_matter", kwargs={"request_id": lamps[0].pk})
    admin = hot.w.client("admin_a")
    body = admin.get(page).content.decode()
    assert lamps[1].number in body and lamps[2].number in body and "路灯问题集中办理" in body
    r = admin.post(page, {"mode": "create", "title": "小区路灯集中整治", "org": hot.w.branch_a.code,
                          "requests": [lamps[1].pk]})
    assert r.status_code == 302
    m = Matter.objects.get()
    assert set(Request.objects.filter(matter=m).values_list("pk", flat=True)) == {lamps[0].pk, lamps[1].pk}
    # A second request turned over to a matter that already has it: an error message, nothing changes.
    r = admin.post(page, {"mode": "create", "title": "又一件"}, follow=True)
    assert "已关联实事" in r.content.decode() and Matter.objects.count() == 1

    matter_page = admin.get(reverse("practical:console_matter", kwargs={"matter_id": m.pk})).content.decode()
    assert "12345 群众诉求(2 件)" in matter_page
    assert lamps[0].number in matter_page and lamps[1].number in matter_page
    assert CALLER_PHONE not in matter_page and CALLER_NAME not in matter_page and "来**" in matter_page
    assert hot.w.client("admin_b").get(reverse("practical:console_matter", kwargs={"matter_id": m.pk})
                                       ).status_code == 404


def test_public_board_shows_only_the_count_of_requests(hot, lamps, client):
    m = services.requests_to_matter(reqs=lamps, scope=hot.scope("office"), actor=hot.user("office"),
                                    title="小区路灯集中整治")
    practical_services.matter_publish(matter=m, actor=hot.user("office"), scope=scope_for(hot.user("office")))
    for url in (reverse("practical:board"), reverse("practical:board_matter", kwargs={"matter_id": m.pk})):
        body = client.get(url).content.decode()
        assert "源自 12345 群众诉求 3 件" in body
        assert CALLER_PHONE not in body and CALLER_NAME not in body and "hotline/console" not in body
