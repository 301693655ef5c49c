"""The API and the pages, as each persona sees them."""

from datetime import timedelta

from django.utils import timezone

from dangshi.learning.models import PointEntry, ReadRecord
from tests.learning.conftest import publish


def test_today_lists_my_items_and_today_in_history(world, cols):
    today = timezone.localdate()
    publish(world, cols["today"], "今天的事", month=today.month, day=today.day, event_year=1949)
    publish(world, cols["stories"], "最新故事")
    body = world.client("member_a").get("/api/v1/learning/today").json()
    assert body["date"] == today.isoformat()
    assert [i["title"] for i in body["on_this_day"]] == ["今天的事"]
    assert [i["title"] for i in body["latest"]] == ["最新故事"]
    assert world.client("admin_a").get("/api/v1/learning/today").status_code == 404  # not a member
    assert world.client(None).get("/api/v1/learning/today").status_code == 401


def test_read_start_and_finish_through_the_api(world, cols):
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    client = world.client("member_a")
    url = f"/api/v1/learning/items/{item.pk}/read"
    started = client.post(url, {"action": "start"}, content_type="application/json")
    assert started.status_code == 200 and started.json()["finished_at"] is None
    # Finishing at once is shorter than the minimum: recorded, not counted.
    finished = client.post(url, {"action": "finish"}, content_type="application/json").json()
    assert finished["counted"] is False
    # Backdate the open record (the server's clock decides) and finish again.
    client.post(url, {"action": "start"}, content_type="application/json")
    ReadRecord.objects.filter(finished_at__isnull=True).update(opened_at=timezone.now() - timedelta(minutes=2))
    assert client.post(url, {"action": "finish"}, content_type="application/json").json()["counted"] is True
    points = client.get("/api/v1/learning/points").json()
    assert points["total"] == 1 and points["ledger"][0]["cause"].startswith("learning.readrecord:")
    detail = client.get(f"/api/v1/learning/items/{item.pk}").json()
    assert detail["body"] == "<p>短</p>"


def test_outsiders_cannot_read_or_record_a_branch_item(world, cols):
    item = publish(world, cols["stories"], "支部A专用", org=world.branch_a, audience_path=world.branch_a.path)
    url = f"/api/v1/learning/items/{item.pk}/read"
    for persona in ("member_c", "admin_b", "outsider"):
        client = world.client(persona)
        assert client.get(f"/api/v1/learning/items/{item.pk}").status_code == 404
        assert client.post(url, {"action": "start"}, content_type="application/json").status_code == 404
    # admin_a reaches the item (own branch) but is not a member: cannot record a read.
    assert world.client("admin_a").get(f"/api/v1/learning/items/{item.pk}").status_code == 200
    assert world.client("admin_a").post(url, {"action": "start"}, content_type="application/json").status_code == 404
    assert world.client("member_a").post(url, {"action": "start"}, content_type="application/json").status_code == 200
    assert not ReadRecord.objects.exclude(member=world.members["member_a"]).exists()


def test_points_ranking_is_scoped(world, cols):
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    from dangshi.learning.services.reading import read_finish, read_start

    now = timezone.now()
    read_start(member=world.members["member_a"], item=item, now=now)
    read_finish(member=world.members["member_a"], item=item, now=now + timedelta(minutes=1))
    assert PointEntry.objects.count() == 1
    ranking = world.client("admin_a").get("/api/v1/learning/points?org=BRA").json()["ranking"]
    assert [(r["name"], r["points"]) for r in ranking] == [("甲支部党员", 1)]
    assert world.client("admin_b").get("/api/v1/learning/points?org=BRA").status_code == 404
    assert world.client("office").get("/api/v1/learning/points?org=ROOT").json()["ranking"][0]["points"] == 1


def test_member_pages_render(world, cols):
    today = timezone.localdate()
    item = publish(world, cols["today"], "今天的事", "<p>遵义会议</p>", month=today.month, day=today.day)
    client = world.client("member_a")
    assert "今天的事" in client.get("/learning/").content.decode()
    assert "党史百问" in client.get("/learning/columns/").content.decode()
    assert "今天的事" in client.get("/learning/items/?column=today").content.decode()
    assert "今天的事" in client.get("/learning/search/?q=遵义").content.decode()
    page = client.get(f"/learning/items/{item.pk}/").content.decode()
    assert "遵义会议" in page and "learning/read.js" in page
    assert client.get("/learning/history/").status_code == 200
    response = client.post("/learning/offline/", {"kind": "film", "title": "《长津湖》", "day": today.isoformat()})
    assert response.status_code == 302


def test_console_pages_render_for_admins_and_hide_from_members(world, cols):
    item = publish(world, cols["stories"], "故事", "<p>短</p>")
    office = world.client("office")
    for url in ("/learning/console/items/", "/learning/console/five-ones/?period=month:2021-05",
                "/learning/console/points/", "/learning/console/pushes/", "/learning/console/offline/",
                "/learning/console/import/", f"/learning/console/items/{item.pk}/",
                f"/learning/console/items/{item.pk}/wechat/", "/learning/console/items/new/"):
        assert office.get(url).status_code == 200, url
        assert world.client("member_a").get(url).status_code == 404, url
    response = office.post("/learning/console/items/new/", {"column": "stories", "org": "ROOT", "title": "新稿",
                                                             "body": "<p>正文</p>", "for_all": "on", "public": "on"})
    assert response.status_code == 302
