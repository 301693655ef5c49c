"""The office's recording of an item for the village broadcast: checked by content, used
instead of synthesis, and served to whoever may read the item."""

import shutil
from datetime import date, timedelta

import pytest

from dangshi.audit.models import AuditEvent
from dangshi.errors import Invalid, Refused
from dangshi.learning import selectors, uploads
from dangshi.learning.models import Item
from dangshi.learning.services import channels
from dangshi.orgs.scope import scope_for
from tests.learning.audio import espeak_wav, mp3_bytes, upload, wav_bytes
from tests.learning.conftest import T0, publish

DAY = date(2021, 5, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload_page(world, persona, item, name, data):
    return world.client(persona).post(f"/learning/console/items/{item.pk}/",
                                      {"audio_upload": "1", "audio": upload(name, data)})


def test_an_uploaded_recording_takes_precedence_over_synthesis(world, cols, _media):
    recorded = publish(world, cols["today"], "今天的事", "<p>一九二一年。</p>", month=5, day=10, event_year=1921)
    other = publish(world, cols["stories"], "小故事", "<p>红船。</p>")
    speech = espeak_wav("中国共产党第一次全国代表大会在上海召开。") or wav_bytes(3.0)
    response = _upload_page(world, "office", recorded, "录音.wav", speech)
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.broadcast_audio.name.endswith(".wav") and "录音" not in recorded.broadcast_audio.name
    assert recorded.broadcast_seconds == uploads.audio_check(upload("x.wav", speech)).seconds >= 1
    event = AuditEvent.objects.get(action="learning.item.audio_set")
    assert event.data["before"] is None and event.data["after"] == recorded.broadcast_audio.name

    items = selectors.broadcast_candidates(day=DAY)
    assert [i.pk for i in items] == [recorded.pk, other.pk]
    playlist = channels.playlist_build(scope=scope_for(world.users["office"]), actor=world.users["office"],
                                       org=world.root, day=DAY, items=items)
    first, second = playlist.entries.order_by("position")
    assert first.audio.name == recorded.broadcast_audio.name and first.seconds == recorded.broadcast_seconds
    if shutil.which("espeak-ng"):
        assert second.audio and second.audio.name != recorded.broadcast_audio.name  # synthesised
    else:
        assert not second.audio and second.seconds == len(channels.broadcast_script(other)) // 4
    m3u = world.client("office").get(f"/learning/console/broadcast/{playlist.pk}.m3u").content.decode()
    assert f"#EXTINF:{recorded.broadcast_seconds},今天的事" in m3u and recorded.broadcast_audio.name in m3u


def test_a_removed_recording_leaves_old_playlists_and_synthesis_returns(world, cols, _media):
    item = publish(world, cols["stories"], "小故事", "<p>红船。</p>")
    office, actor = scope_for(world.users["office"]), world.users["office"]
    channels.item_audio_set(scope=office, actor=actor, item=item, file=upload("a.mp3", mp3_bytes()))
    assert (item.broadcast_audio.name.endswith(".mp3"), item.broadcast_seconds) == (True, 1)
    old = channels.playlist_build(scope=office, actor=actor, org=world.root, day=DAY, items=[item],
                                  synthesise_audio=False).entries.get()
    assert world.client("office").post(f"/learning/console/items/{item.pk}/", {"audio_clear": "1"}).status_code == 302
    item.refresh_from_db()
    assert not item.broadcast_audio and item.broadcast_seconds is None
    assert (_media / old.audio.name).exists()  # the playlist already built still plays it
    new = channels.playlist_build(scope=office, actor=actor, org=world.branch_a, day=DAY, items=[item],
                                  synthesise_audio=False).entries.get()
    assert not new.audio
    assert AuditEvent.objects.get(action="learning.item.audio_cleared").data["before"] == old.audio.name


@pytest.mark.parametrize(("name", "data", "message"), [
    ("notes.mp3", "这不是音频,只是一段文字。".encode(), "不是音频"),
    ("speech.mp3", wav_bytes(1.0), "与扩展名 .mp3 不符"),
    ("speech.exe", wav_bytes(1.0), "只能是 MP3、M4A、OGG 或 WAV"),
    ("speech", wav_bytes(1.0), "只能是 MP3、M4A、OGG 或 WAV"),
    ("broken.wav", b"RIFF\x24\x00\x00\x00WAVEjunkjunkjunk", "已损坏"),
    ("broken.ogg", b"OggS" + bytes(60), "已损坏"),
    ("short.wav", wav_bytes(0.2), "不足 1 秒"),
    ("empty.wav", b"", "空的"),
])
def test_a_recording_is_checked_by_its_content(world, cols, name, data, message):
    item = publish(world, cols["stories"], "小故事")
    with pytest.raises(Invalid) as caught:
        channels.item_audio_set(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                                file=upload(name, data))
    assert caught.value.field == "audio" and message in str(caught.value.message)
    item.refresh_from_db()
    assert not item.broadcast_audio


def test_the_page_shows_why_a_recording_was_refused(world, cols):
    item = publish(world, cols["stories"], "小故事")
    client = world.client("office")
    response = client.post(f"/learning/console/items/{item.pk}/", {"audio_upload": "1",
                                                                     "audio": upload("a.mp3", b"plain text")},
                           follow=True)
    assert "文件内容不是音频" in response.content.decode()


def test_a_recording_over_the_size_limit_is_refused(world, cols, settings):
    settings.LEARNING_AUDIO_MAX_BYTES = 4096
    item = publish(world, cols["stories"], "小故事")
    with pytest.raises(Invalid, match="不能超过"):
        channels.item_audio_set(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                                file=upload("long.wav", wav_bytes(1.0)))


def test_the_formats_are_recognised_by_their_first_bytes():
    assert uploads.sniff_audio(wav_bytes(0.1)[:16]) == "wav"
    assert uploads.sniff_audio(mp3_bytes(1)[:16]) == "mp3"
    assert uploads.sniff_audio(b"ID3\x04\x00" + bytes(11)) == "mp3"
    assert uploads.sniff_audio(b"OggS\x00\x02" + bytes(10)) == "ogg"
    assert uploads.sniff_audio(b"\x00\x00\x00\x20ftypM4A \x00\x00") == "m4a"
    assert uploads.sniff_audio(b"\x00\x00\x00\x20ftypqt  \x00\x00") is None  # a QuickTime movie
    assert uploads.sniff_audio(b"\x89PNG\r\n\x1a\n" + bytes(8)) is None
    assert uploads.sniff_audio(b"MZ\x90\x00" + bytes(12)) is None


def test_only_the_office_uploads_a_recording(world, cols):
    item = publish(world, cols["stories"], "支部A材料", org=world.branch_a)
    with pytest.raises(Refused):
        channels.item_audio_set(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"], item=item,
                                file=upload("a.wav", wav_bytes(1.0)))
    page = world.client("admin_a").post(f"/learning/console/items/{item.pk}/",  # its org's editor, not the office
                                        {"audio_upload": "1", "audio": upload("a.wav", wav_bytes(1.0))}, follow=True)
    assert "须由学习教育办公室上传" in page.content.decode()
    assert _upload_page(world, "admin_b", item, "a.wav", wav_bytes(1.0)).status_code == 404
    item.refresh_from_db()
    assert not item.broadcast_audio


def test_the_recording_is_served_to_whoever_may_read_the_item(world, cols):
    item = publish(world, cols["stories"], "支部A材料", org=world.branch_a, audience_path=world.branch_a.path)
    data = wav_bytes(1.0)
    channels.item_audio_set(scope=scope_for(world.users["office"]), actor=world.users["office"], item=item,
                            file=upload("a.wav", data))
    url = f"/learning/items/{item.pk}/audio"
    response = world.client("member_a").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content) == data
    assert url in world.client("member_a").get(f"/learning/items/{item.pk}/").content.decode()
    assert world.client("admin_a").get(url).status_code == 200
    for persona in ("member_c", "admin_b", "outsider"):
        assert world.client(persona).get(url).status_code == 404, persona
    assert world.client(None).get(url).status_code == 302
    plain = publish(world, cols["stories"], "无录音")
    assert world.client("member_a").get(f"/learning/items/{plain.pk}/audio").status_code == 404


def test_editors_hear_a_recording_before_publication_and_members_do_not(world, cols):
    from dangshi.learning import services

    office, actor = scope_for(world.users["office"]), world.users["office"]
    draft = services.item_create(scope=office, actor=actor, column=cols["stories"], org=world.root, title="草稿")
    channels.item_audio_set(scope=office, actor=actor, item=draft, file=upload("a.wav", wav_bytes(1.0)))
    url = f"/learning/items/{draft.pk}/audio"
    assert world.client("office").get(url).status_code == 200
    assert world.client("member_a").get(url).status_code == 404
    scheduled = publish(world, cols["stories"], "未到时间", at=T0 + timedelta(days=3650))
    channels.item_audio_set(scope=office, actor=actor, item=scheduled, file=upload("b.wav", wav_bytes(1.0)))
    assert world.client("member_a").get(f"/learning/items/{scheduled.pk}/audio").status_code == 404
    assert Item.objects.exclude(broadcast_audio="").count() == 2
