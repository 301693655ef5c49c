"""The session form offers the lecturers of the host org's subtree, of the groups whose
zone covers it, and of the orgs above it (in that order); anyone else is refused."""

import pytest
from django.utils import timezone

from dangshi.errors import Invalid
from dangshi.outreach import selectors
from dangshi.outreach.models import Session
from tests.outreach import helpers as h


@pytest.fixture
def cast(world):
    w = world
    return {
        "own": h.lecturer(w, name="甲支部宣讲员"),  # 支部A
        "sibling": h.lecturer(w, persona="admin_b", org=w.branch_b, name="乙支部宣讲员"),
        "district": h.lecturer(w, persona="office", org=w.root, name="区宣讲团专家"),
        "zone": _zone_lecturer(w),  # 支部C's, in a group answerable for 支部A
        "street2": h.lecturer(w, persona="office", org=w.street2, name="二街道宣讲员"),
    }


def _zone_lecturer(w):
    group = h.group(w, persona="office", org=w.root, name="第一分团", zone=[w.branch_a])
    lecturer = h.lecturer(w, persona="office", org=w.branch_c, name="分团宣讲员")
    lecturer.group = group
    lecturer.save()
    return lecturer


def test_choices_for_a_branch_are_its_own_its_zone_groups_and_those_above_nearest_first(world, cast):
    names = [lecturer.name for lecturer in selectors.lecturer_choices(org=world.branch_a)]
    assert names == ["甲支部宣讲员", "分团宣讲员", "区宣讲团专家"]


def test_form_offers_the_host_orgs_lecturers_and_follows_the_host_picked(world, cast):
    client = world.client("office")
    body = client.get("/outreach/console/sessions/new/").content.decode()
    assert 'hx-get="/outreach/console/sessions/lecturers/"' in body
    options = client.get("/outreach/console/sessions/lecturers/?org=BRA").content.decode()
    assert "甲支部宣讲员" in options and "分团宣讲员(第一分团)" in options and "区宣讲团专家" in options
    assert "乙支部宣讲员" not in options and "二街道宣讲员" not in options
    assert options.index("甲支部宣讲员") < options.index("分团宣讲员") < options.index("区宣讲团专家")
    assert world.client("admin_b").get("/outreach/console/sessions/lecturers/?org=BRA").status_code == 404


def test_admin_form_does_not_offer_a_sibling_branchs_lecturer(world, cast):
    body = world.client("admin_a").get("/outreach/console/sessions/new/").content.decode()
    assert "甲支部宣讲员" in body and "区宣讲团专家" in body
    assert "乙支部宣讲员" not in body and "二街道宣讲员" not in body


def test_an_out_of_range_lecturer_posted_by_hand_is_a_field_error(world, cast):
    response = world.client("office").post("/outreach/console/sessions/new/", {
        "org": "BRA", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "venue_kind": h.venue().pk,
        "place": "活动室", "topic": "百年党史", "lecturers": [cast["own"].pk, cast["sibling"].pk],
        "audience_offline": 10, "audience_online": 0,
    })
    assert response.status_code == 200
    assert "宣讲员不在该主办组织的可选范围内" in response.context["form"].errors["lecturers"][0]
    assert not Session.objects.exists()


def test_api_and_services_refuse_an_out_of_range_lecturer(world, cast):
    response = world.client("office").post("/api/v1/outreach/sessions", {
        "org": "BRA", "starts_at": timezone.now().isoformat(), "venue_kind": "community", "place": "活动室",
        "topic": "百年党史", "lecturers": [cast["street2"].pk]}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "lecturers"
    with pytest.raises(Invalid) as exc:
        h.session(world, persona="office", org=world.branch_a, lecturers=[cast["sibling"]])
    assert exc.value.field == "lecturers"
    session = h.session(world, persona="office", org=world.branch_a, lecturers=[cast["zone"], cast["district"]])
    assert set(session.lecturers.values_list("name", flat=True)) == {"分团宣讲员", "区宣讲团专家"}


def test_editing_keeps_a_lecturer_whose_zone_has_since_changed(world, cast):
    w = world
    session = h.session(w, persona="office", org=w.branch_a, lecturers=[cast["zone"]])
    cast["zone"].group.zone.clear()  # 分团 no longer answerable for 支部A
    assert cast["zone"] not in selectors.lecturer_choices(org=w.branch_a)
    response = w.client("office").post(f"/outreach/console/sessions/{session.pk}/", {
        "org": "BRA", "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "venue_kind": h.venue().pk, "place": "活动室", "topic": "改过的主题", "lecturers": [cast["zone"].pk],
        "audience_offline": 10, "audience_online": 0,
    })
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.topic == "改过的主题" and list(session.lecturers.all()) == [cast["zone"]]
