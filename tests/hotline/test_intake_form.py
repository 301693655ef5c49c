"""The public form: no login, rate-limited, lands a received request."""

from django.core.cache import cache
from django.urls import reverse

from dangshi.hotline.models import Channel, Request, State


def _post(client, **extra):
    data = {"kind": "help", "service": "general", "content": "楼道堆放杂物", "address": "和平路3号", "name": "赵六",
            "phone": "13511112222", **extra}
    return client.post(reverse("hotline:public_form"), data)


def test_public_form_creates_a_received_request_and_shows_its_number(world, client):
    cache.clear()
    response = _post(client)
    assert response.status_code == 200
    req = Request.objects.get()
    assert (req.channel, req.state, req.intake_org, req.caller_phone) == (Channel.FORM, State.RECEIVED, world.root,
                                                                          "13511112222")
    body = response.content.decode()
    assert req.number in body and "13511112222" not in body
    assert req.updates.count() == 1


def test_public_form_refuses_empty_content(world, client):
    cache.clear()
    response = _post(client, content="  ")
    assert response.status_code == 200 and Request.objects.count() == 0
    assert "请填写诉求内容" in response.content.decode()


def test_public_form_is_rate_limited_per_ip(world, client):
    cache.clear()
    for _ in range(5):
        _post(client)
    response = _post(client)
    assert "请求过于频繁" in response.content.decode()
    assert Request.objects.count() == 5
