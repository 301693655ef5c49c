"""Pushes and their coverage, the WeChat export, and the broadcast playlist."""

import shutil
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangshi.errors import Conflict, Refused
from dangshi.learning import selectors
from dangshi.learning.services import channels, reading
from dangshi.orgs.scope import scope_for
from tests import factories as f
from tests.learning.conftest import T0, publish


def test_push_coverage_counts_targeted_delivered_and_opened(world, cols):
    mobile_a = f.member(world.branch_a, "流动甲", user=f.user("mob_a"), mobile=True)
    f.member(world.branch_b, "流动乙", mobile=True)  # no account: targeted, not delivered
    f.member(world.branch_c, "流动丙", mobile=True)  # outside the push's org
    item = publish(world, cols["stories"], "千里送学", for_all=False, for_mobile=True)
    office = scope_for(world.users["office"])
    push = channels.push_send(scope=office, actor=world.users["office"], item=item, org=world.community,
                              now=T0 + timedelta(hours=1))
    reading.read_start(member=mobile_a, item=item, now=T0 + timedelta(hours=2))
    coverage = selectors.push_coverage(scope=office, push_id=push.pk)
    assert coverage["total"] == {"targeted": 2, "delivered": 1, "opened": 1}
    assert {r["code"]: (r["targeted"], r["delivered"], r["opened"]) for r in coverage["rows"]} == {
        "BRA": (1, 1, 1), "BRB": (1, 0, 0)}
    page = world.client("office").get(f"/learning/console/pushes/{push.pk}/").content.decode()
    assert "测试社区第二党支部" in page
    with pytest.raises(Refused):
        channels.push_send(scope=scope_for(world.users["admin_b"]), actor=world.users["admin_b"], item=item,
                           org=world.branch_a)


def test_only_published_items_can_be_pushed(world, cols):
    item = publish(world, cols["stories"], "未来", at=T0 + timedelta(days=3650))
    with pytest.raises(Conflict):
        channels.push_send(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                           org=world.root)


def test_wechat_export_is_clean_inline_html(world, cols):
    item = publish(world, cols["stories"], "红船精神", '<p class="x">开天辟地<script>x</script></p>', source="《简史》")
    html = channels.wechat_html(item)
    assert "<script" not in html and 'style="' in html and "《简史》" in html and "开天辟地" in html


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_playlist_is_synthesised_and_exported_as_m3u(world, cols, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    day = date(2021, 5, 10)
    publish(world, cols["today"], "今天的事", "<p>一九二一年。</p>", month=5, day=10, event_year=1921)
    publish(world, cols["stories"], "小故事", "<p>红船。</p>")
    publish(world, cols["stories"], "不公开", "<p>内部。</p>", public=False, at=T0 - timedelta(days=1))
    items = selectors.broadcast_candidates(day=day)
    assert [i.title for i in items] == ["今天的事", "小故事"]
    office = scope_for(world.users["office"])
    playlist = channels.playlist_build(scope=office, actor=world.users["office"], org=world.root, day=day, items=items)
    entries = list(playlist.entries.all())
    assert all(e.audio and e.seconds > 0 for e in entries)
    assert (tmp_path / entries[0].audio.name).read_bytes()[:4] == b"RIFF"
    m3u = world.client("office").get(f"/learning/console/broadcast/{playlist.pk}.m3u").content.decode()
    lines = m3u.splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[1] == f"#EXTINF:{entries[0].seconds},今天的事" and lines[2].endswith(".wav")
    with pytest.raises(Conflict):
        channels.playlist_build(scope=office, actor=world.users["office"], org=world.root, day=day, items=items)
    channels.playlist_air(scope=office, actor=world.users["office"], playlist=playlist)
    channels.playlist_air(scope=office, actor=world.users["office"], playlist=playlist)
    assert selectors.broadcast_hours(scope=office) == round(2 * sum(e.seconds for e in entries) / 3600, 2)


def test_playlist_without_synthesis_estimates_duration(world, cols):
    publish(world, cols["stories"], "小故事", "<p>" + "红" * 400 + "</p>")
    items = selectors.broadcast_candidates(day=timezone.localdate())
    playlist = channels.playlist_build(scope=scope_for(world.users["office"]), actor=world.users["office"],
                                       org=world.root, day=timezone.localdate(), items=items, synthesise_audio=False)
    entry = playlist.entries.get()
    assert not entry.audio and entry.seconds == len(channels.broadcast_script(items[0])) // 4
