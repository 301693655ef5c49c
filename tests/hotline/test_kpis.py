"""KPIs per org and month against a hand-computed fixture (clocks passed explicitly).

支部A, March 2021 (general requests: sign within 24 h, reply within 7 days):
  r1 signed +1 h, replied +1 d, callback resolved / satisfied
  r2 signed +30 h (late), replied +8 d (late), callback partly / basically satisfied
  r3 signed +1 h, replied +1 d, callback not / not, then reopened (reply cleared)
  r4 signed +1 h, replied +1 d, no callback
  r5 never signed, no callback
  r6 dispatched, then returned by 支部A (no longer 支部A's)
  → handled 5, dispatch events 6; 响应率 3/5, 按时办结率 2/5, 解决率 1/3, 满意率 2/3 (callbacks
    only: r4 and r5 are not in the denominator), 重办率 1/5, 退单率 1/6.
支部B, March: one request, all in time, resolved and satisfied → every rate 1, 退单率 0.
"""

from datetime import date, timedelta

import pytest

from dangshi.hotline import services
from dangshi.hotline.selectors import monthly_ranking, org_kpis, rollup_facts
from tests.hotline.conftest import at

H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.fixture
def march(hot):
    office, admin_a = hot.scope("office"), hot.scope("admin_a")
    hot.called_back(when=at(1), sign_after=H, reply_after=D, resolution="resolved", satisfaction="satisfied")
    hot.called_back(when=at(2), sign_after=30 * H, reply_after=8 * D, resolution="partly", satisfaction="basic")
    r3 = hot.called_back(when=at(3), sign_after=H, reply_after=D, resolution="not", satisfaction="not")
    services.request_reopen(req=r3, scope=office, actor=hot.user("office"), reason="群众反映未解决", now=at(10))
    hot.replied(when=at(4), sign_after=H, reply_after=D)
    hot.dispatched(when=at(5))
    r6 = hot.dispatched(when=at(6))
    services.request_return(req=r6, scope=admin_a, actor=hot.user("admin_a"), reason="非本单位职责", now=at(6, 12))
    hot.called_back(when=at(7), org=hot.w.branch_b, sign_after=H, reply_after=D)
    hot.called_back(when=at(1, month=4), sign_after=H, reply_after=D)  # April: not in March's figures
    return hot


def _by_org(kpis, org):
    return next(k for k in kpis if k.org_id == org.pk)


def test_kpis_match_the_hand_computed_fixture(march):
    kpis = org_kpis(root_path=march.w.root.path, start=date(2021, 3, 1), end=date(2021, 3, 31))
    a = _by_org(kpis, march.w.branch_a)
    assert (a.handled, a.dispatched, a.callbacks, a.returned) == (5, 6, 3, 1)
    assert a.response_rate == 0.6
    assert a.on_time_rate == 0.4
    assert a.resolve_rate == round(1 / 3, 4)
    assert a.satisfaction_rate == round(2 / 3, 4)
    assert a.reopen_rate == 0.2
    assert a.return_rate == round(1 / 6, 4)
    b = _by_org(kpis, march.w.branch_b)
    assert (b.response_rate, b.on_time_rate, b.resolve_rate, b.satisfaction_rate, b.reopen_rate, b.return_rate) == (
        1, 1, 1, 1, 0, 0)
    assert {k.month for k in kpis} == {date(2021, 3, 1)}


def test_satisfaction_ignores_requests_without_a_callback(march):
    a = _by_org(org_kpis(root_path=march.w.root.path, start=date(2021, 3, 1), end=date(2021, 3, 31)),
                march.w.branch_a)
    assert a.handled == 5 and a.callbacks == 3
    assert a.satisfaction_rate == round(2 / 3, 4) != round(2 / 5, 4)


def test_monthly_ranking_puts_the_better_org_first_with_the_stated_weights(march):
    ranking = monthly_ranking(root_path=march.w.root.path, month=date(2021, 3, 1))
    assert [k.org_id for k in ranking] == [march.w.branch_b.pk, march.w.branch_a.pk]
    assert ranking[0].score == 100
    expected = 20 * 0.6 + 30 * 0.4 + 25 * round(1 / 3, 4) + 25 * round(2 / 3, 4) - 10 * 0.2 - 10 * round(1 / 6, 4)
    assert ranking[1].score == round(expected, 2)


def test_kpis_for_a_year_take_a_fixed_number_of_queries(march, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        org_kpis(root_path=march.w.root.path, start=date(2021, 1, 1), end=date(2021, 12, 31))


def test_rollup_facts_are_additive_per_handling_org(march):
    facts = {(f.org_path, f.metric): f.value
             for f in rollup_facts(start=date(2021, 3, 1), end=date(2021, 3, 31), root_path=march.w.root.path)}
    a = march.w.branch_a.path
    assert facts[(a, "hotline.requests")] == 5
    assert facts[(a, "hotline.callbacks")] == 3
    assert facts[(a, "hotline.resolved")] == 1
    assert facts[(a, "hotline.satisfied")] == 2
    assert facts[(a, "hotline.on_time")] == 2
    assert facts[(march.w.branch_b.path, "hotline.requests")] == 1


def test_contracts_are_discovered():
    from dangshi.core.contracts import providers

    assert "hotline" in dict(providers("rollup_facts"))
    assert "hotline" in dict(providers("agenda_items"))
    assert "hotline" in dict(providers("ROLLUP_METRICS"))
