"""评诺: weighted grade, one rating per account or phone, the window, the public form's limits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import ANONYMOUS, scope_for
from dangshi.pledges import grading, services
from dangshi.pledges.machine import Action
from dangshi.pledges.models import PledgeRating, RaterKind, State
from tests import factories as f
from tests.pledges import builders as b


def _peer(w, name: str):
    user = f.user(name)
    f.member(w.branch_a, f"支部A{name}", user=user)
    return user


def _rate(pledge, user, value, *, phone="", day=0):
    scope = scope_for(user) if user else ANONYMOUS
    return services.pledge_rate(pledge=pledge, scope=scope, actor=user, value=value, phone=phone,
                                today=b.later(day))


@pytest.fixture
def open_pledge(world):
    return b.pledge_in(world, State.RATING_OPEN)


def test_weighted_grade_matches_the_hand_computed_fixture(world, open_pledge):
    # Weights: self 20, peer 30, public 50 (builders.round_). Points: 优秀 100, 良好 80, 一般 60, 差 40.
    _rate(open_pledge, world.users["member_a"], "优秀")  # self 100
    _rate(open_pledge, _peer(world, "peer1"), "良好")  # peer 80
    _rate(open_pledge, _peer(world, "peer2"), "一般")  # peer 60 → mean 70
    _rate(open_pledge, world.users["outsider"], "优秀")  # public 100
    _rate(open_pledge, None, "良好", phone="13700000001")  # public 80
    _rate(open_pledge, None, "差", phone="137 0000 0002")  # public 40 → mean 73.333…
    kinds = sorted(PledgeRating.objects.filter(pledge=open_pledge).values_list("kind", flat=True))
    assert kinds == sorted([RaterKind.SELF, RaterKind.PEER, RaterKind.PEER, *[RaterKind.PUBLIC] * 3])
    # (20 × 100 + 30 × 70 + 50 × 73.333…) / 100 = 20 + 21 + 36.667 = 77.67 → 良好 (75 ≤ score < 90)
    pledge = b.do(world, open_pledge, Action.CLOSE_RATING, "admin_a")
    assert pledge.state == State.RATED
    assert pledge.grade_score == Decimal("77.67")
    assert pledge.grade == "良好"


def test_stars_scale_and_a_missing_rater_kind_rescales_the_weights(world):
    round_ = b.round_(world, scale="stars", title="星级评议")
    assert grading.points_for(round_.scale, "5") == (100, "5★")
    with pytest.raises(Invalid):
        grading.points_for(round_.scale, "6")
    # self 5★ (100) weight 20, peer 3★ (60) weight 30, no public: (2000 + 1800) / 50 = 76 → 良好
    score = grading.weighted_score(weights={"self": 20, "peer": 30, "public": 50},
                                   ratings=[("self", 100), ("peer", 60)])
    assert score == Decimal("76.00") and grading.grade_label(score) == "良好"


def test_a_second_public_rating_from_the_same_account_is_refused(world, open_pledge):
    _rate(open_pledge, world.users["outsider"], "良好")
    with pytest.raises(Conflict, match="只能评价一次"):
        _rate(open_pledge, world.users["outsider"], "优秀")
    assert PledgeRating.objects.filter(pledge=open_pledge).count() == 1


def test_a_second_public_rating_from_the_same_phone_is_refused_and_only_its_digest_is_kept(world, open_pledge):
    _rate(open_pledge, None, "良好", phone="13700000009")
    with pytest.raises(Conflict, match="只能评价一次"):
        _rate(open_pledge, None, "差", phone="13700000009")
    rating = PledgeRating.objects.get(pledge=open_pledge)
    assert rating.phone_digest and "13700000009" not in rating.phone_digest


def test_a_rating_after_the_window_closes_is_refused(world):
    pledge = b.pledge_in(world, State.FULFILMENT_SUBMITTED)
    pledge = b.do(world, pledge, Action.OPEN_RATING, "admin_a", closes_on=b.later(3))
    _rate(pledge, world.users["outsider"], "优秀", day=3)  # the closing day still counts
    with pytest.raises(Refused, match="评议已于 2021-06-04 截止"):
        _rate(pledge, None, "优秀", phone="13700000010", day=4)


def test_no_public_rating_of_ones_own_commitment(world, open_pledge):
    with pytest.raises(Refused, match="自己的承诺"):
        _rate(open_pledge, None, "优秀", phone=world.members["member_a"].phone)
    # Signed in, the owner's rating is a self-rating, never a public one.
    assert _rate(open_pledge, world.users["member_a"], "优秀").kind == RaterKind.SELF


def test_rating_outside_the_rating_state_is_refused(world):
    pledge = b.pledge_in(world, State.PUBLISHED)
    with pytest.raises(Conflict, match="不能评议"):
        _rate(pledge, world.users["outsider"], "优秀")


def test_the_public_rating_form_works_once_and_is_rate_limited(world, open_pledge, client):
    # The page uses the real clock: keep the window open around today.
    open_pledge.rating_closes_on = timezone.localdate() + timedelta(days=7)
    open_pledge.save(update_fields=["rating_closes_on"])
    url = f"/pledges/public/p/{open_pledge.pk}/"
    response = client.post(url, {"value": "优秀", "phone": "13700000011", "comment": "说到做到"}, follow=True)
    assert "感谢您的评议" in response.content.decode()
    response = client.post(url, {"value": "优秀", "phone": "13700000011"}, follow=True)
    assert "只能评价一次" in response.content.decode()
    for n in range(12, 22):
        response = client.post(url, {"value": "一般", "phone": f"137000000{n}"}, follow=True)
    assert "请求过于频繁" in response.content.decode()
    assert PledgeRating.objects.filter(pledge=open_pledge).count() == 9  # 10 allowed tries, one was a duplicate


@pytest.mark.parametrize("phone", ["10000000000", "12345678901", "11111111111", "1370000000", "+1 415 555 0100"])
def test_invented_phone_numbers_cannot_rate_a_pledge_publicly(world, open_pledge, phone):
    with pytest.raises(Invalid):
        _rate(open_pledge, None, "优秀", phone=phone)
    assert not PledgeRating.objects.filter(pledge=open_pledge).exists()


def test_a_phone_typed_with_plus86_or_full_width_digits_is_one_rater(world, open_pledge):
    _rate(open_pledge, None, "良好", phone="+86 137-0000-0011")
    with pytest.raises(Conflict):
        _rate(open_pledge, None, "差", phone="１３７００００００１１")
