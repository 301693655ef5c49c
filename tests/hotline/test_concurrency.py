"""Races the row lock closes (PostgreSQL only): two staff acting on one request at once."""

import threading

import pytest
from django.db import connection

from dangshi.errors import Conflict, Refused
from dangshi.hotline import services
from dangshi.hotline.models import Action, Request


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            fn()
            outcomes.append("ok")
        except (Conflict, Refused):  # the loser sees the winner's state (or no longer handles it)
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_signers_at_once_one_signs_the_other_is_told(hot):
    req = hot.dispatched()
    assert _race(lambda: services.request_sign(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"))) == [
        "ok", "refused"]
    assert Request.objects.get(pk=req.pk).updates.filter(action=Action.SIGN).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_never_pass_the_cap(hot, settings):
    settings.HOTLINE_MAX_RETURNS = 1
    req = hot.dispatched()
    outcomes = _race(lambda: services.request_return(req=req, scope=hot.scope("admin_a"), actor=hot.user("admin_a"),
                                                     reason="非本单位职责"))
    assert outcomes == ["ok", "refused"]
    assert Request.objects.get(pk=req.pk).return_count == 1
