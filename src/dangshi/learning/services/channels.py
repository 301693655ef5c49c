"""Push channels: targeted pushes (定向推送, 千里送学), the WeChat-ready export and the
village broadcast (村村响) playlist: the office's uploaded recording of an item where there is
one, else Mandarin synthesis by espeak-ng where installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.errors import Conflict, Invalid, Refused
from dangshi.learning import uploads
from dangshi.learning.models import Item, Playlist, PlaylistEntry, Push, PushReceipt
from dangshi.learning.selectors.channels import members_targeted
from dangshi.learning.selectors.content import visible_q
from dangshi.learning.textindex import plain_text
from dangshi.orgs.scope import Scope

if TYPE_CHECKING:
    from dangshi.orgs.models import Org

MANDARIN_CHARS_PER_SECOND = 4  # an estimate for audio still to be recorded
SCRIPT_LIMIT = 800  # characters read out per item


def push_send(*, scope: Scope, actor, item: Item, org: Org, now: datetime | None = None) -> Push:
    now = now or timezone.now()
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您无权向该组织推送。"))
    if not Item.objects.filter(visible_q(now), pk=item.pk).exists():
        raise Conflict(_("只能推送已发布的内容。"))
    with transaction.atomic():
        push = Push.objects.create(item=item, org=org, sent_at=now, sent_by=actor)
        targets = members_targeted(item=item, org=org).values_list("pk", "user_id")
        # Delivered: the member has an account the H5 notice reaches; opened: read_start.
        PushReceipt.objects.bulk_create(
            (PushReceipt(push=push, member_id=pk, delivered_at=now if user_id else None) for pk, user_id in targets),
            batch_size=2000,
        )
        log_event("learning.push.sent", actor=actor, obj=push, org=org, data={"item": item.pk})
    return push


def wechat_html(item: Item) -> str:
    """Clean HTML for pasting into an official-account editor: inline styles only (the
    editor drops classes and <style>), no scripts, absolute structure."""
    p_style = "margin:0 0 1em;line-height:1.75;font-size:16px;color:#333;text-align:justify;"
    head = (f'<h2 style="font-size:20px;color:#b71c1c;margin:0 0 .8em;">{escape(item.title)}</h2>')
    body = item.body.replace("<p>", f'<p style="{p_style}">') or f'<p style="{p_style}">{escape(item.plain)}</p>'
    answer = (f'<section style="border-left:4px solid #b71c1c;padding-left:10px;">{item.answer}</section>'
              if item.answer else "")
    source = (f'<p style="font-size:13px;color:#888;">{escape(_("来源"))}:{escape(item.source)}</p>'
              if item.source else "")
    return f"<section>{head}{body}{answer}{source}</section>"


# -- broadcast ----------------------------------------------------------------------------

def broadcast_script(item: Item) -> str:
    text = f"{item.title}。{item.plain} {plain_text(item.answer)}".strip()
    return text[:SCRIPT_LIMIT]


def synthesise(text: str) -> tuple[bytes, int] | None:
    """WAV bytes and whole seconds from espeak-ng (Mandarin voice), or None where not installed."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.wav"
        # The text goes in on stdin, never as an argument, so item text cannot pass options.
        subprocess.run([binary, "-v", "cmn", "-s", "160", "-w", str(out), "--stdin"], input=text.encode(),  # noqa: S603
                       check=True, timeout=60, capture_output=True)
        data = out.read_bytes()
    with wave.open(io.BytesIO(data)) as w:
        seconds = round(w.getnframes() / w.getframerate())
    return data, seconds


def _check_audio_editor(scope: Scope, item: Item) -> None:
    if not (scope.is_office and scope.reaches(item.org)):
        raise Refused(_("广播录音须由学习教育办公室上传。"))


def _audio_store(*, actor, item: Item, name: str, seconds: int | None, action: str) -> Item:
    with transaction.atomic():
        before = Item.objects.select_for_update().filter(pk=item.pk).values_list("broadcast_audio", flat=True).get()
        Item.objects.filter(pk=item.pk).update(broadcast_audio=name, broadcast_seconds=seconds)
        item.broadcast_audio, item.broadcast_seconds = name, seconds
        log_event(action, actor=actor, obj=item, data={"before": before or None, "after": name or None,
                                                       "seconds": seconds})
    return item


def item_audio_set(*, scope: Scope, actor, item: Item, file) -> Item:
    """Attach the office's recording of `item` for the broadcast: it replaces synthesis in
    every playlist built after. Allowed in any editorial state (a recording is often made
    after publication). A replaced file is kept: playlists already built still play it."""
    _check_audio_editor(scope, item)
    if file is None:
        raise Invalid(_("请选择录音文件。"), field="audio")
    audio = uploads.audio_check(file, field="audio")
    # Written before the transaction (slow I/O holds no lock); the stored name comes from
    # the content's format, never from the uploaded name.
    field = Item._meta.get_field("broadcast_audio")
    name = field.storage.save(field.generate_filename(item, f"item-{item.pk}.{audio.extension}"), file)
    return _audio_store(actor=actor, item=item, name=name, seconds=audio.seconds, action="learning.item.audio_set")


def item_audio_clear(*, scope: Scope, actor, item: Item) -> Item:
    """Remove the recording: playlists built from now on synthesise the item again."""
    _check_audio_editor(scope, item)
    return _audio_store(actor=actor, item=item, name="", seconds=None, action="learning.item.audio_cleared")


def _entry_audio(item: Item, day: date, org: Org, n: int, sound: tuple[bytes, int] | None) -> PlaylistEntry:
    """An entry's sound: the uploaded recording, else synthesis, else an estimate of how
    long the recording still to be made will run."""
    entry = PlaylistEntry(item=item, position=n)
    if item.broadcast_audio:
        entry.audio.name, entry.seconds = item.broadcast_audio.name, item.broadcast_seconds or 0
    elif sound is not None:
        data, entry.seconds = sound
        entry.audio.save(f"{day:%Y%m%d}-{org.code}-{n}.wav", ContentFile(data), save=False)
    else:
        entry.seconds = max(1, len(broadcast_script(item)) // MANDARIN_CHARS_PER_SECOND)
    return entry


def playlist_build(*, scope: Scope, actor, org: Org, day: date, items: list[Item], synthesise_audio: bool = True,
                   ) -> Playlist:
    """The day's playlist from `items` (the caller picks them: selectors.broadcast_candidates)."""
    if not (scope.is_admin and scope.reaches(org)):
        raise Refused(_("您无权为该组织编排广播。"))
    if not items:
        raise Invalid(_("当天没有可播出的内容。"), field="day")
    if Playlist.objects.filter(org=org, day=day).exists():
        raise Conflict(_("该日的广播节目单已存在。"))
    # Synthesis runs before the transaction: a slow subprocess must not hold a write lock.
    # An uploaded recording takes precedence, so those items are not synthesised at all.
    audio = [synthesise(broadcast_script(i)) if synthesise_audio and not i.broadcast_audio else None for i in items]
    with transaction.atomic():
        playlist = Playlist.objects.create(org=org, day=day)
        for n, (item, sound) in enumerate(zip(items, audio, strict=True), start=1):
            entry = _entry_audio(item, day, org, n, sound)
            entry.playlist = playlist
            entry.save()
        log_event("learning.playlist.built", actor=actor, obj=playlist, org=org,
                  data={"day": day.isoformat(), "entries": len(items)})
    return playlist


def playlist_air(*, scope: Scope, actor, playlist: Playlist) -> Playlist:
    """Record one airing over the loudspeakers; broadcast hours add up from these."""
    if not (scope.is_admin and scope.reaches(playlist.org)):
        raise Refused(_("您无权操作该节目单。"))
    with transaction.atomic():
        # F() increment: two operators marking an airing at once both count.
        Playlist.objects.filter(pk=playlist.pk).update(aired_times=F("aired_times") + 1)
        playlist.refresh_from_db()
        log_event("learning.playlist.aired", actor=actor, obj=playlist, org=playlist.org,
                  data={"times": playlist.aired_times})
    return playlist
