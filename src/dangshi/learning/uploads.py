"""Checks for files members and the office upload: broadcast recordings and offline evidence photos.

A file is judged by its content, never by its name alone: the first bytes must be those
of an allowed format, the name's extension must agree with them, and the file must parse
(mutagen reads the audio's duration, Pillow verifies the image). A renamed text or
executable therefore fails however it is named.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from mutagen import File as MutagenFile
from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from dangshi.core.images import IMAGE_FORMATS, UNREADABLE, open_image
from dangshi.errors import Invalid

AUDIO_EXTENSIONS = ("mp3", "m4a", "ogg", "wav")
AUDIO_CONTENT_TYPES = {"mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "wav": "audio/wav"}
# ISO base media brands an .m4a recording carries (iTunes/AAC audio, and the generic ones
# phones write).
M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2"}


@dataclass(frozen=True)
class Audio:
    extension: str
    seconds: int


def _size_limit(file, limit: int, field: str) -> None:
    if file.size > limit:
        raise Invalid(_("文件过大:不能超过 %(mb)d MB。") % {"mb": limit // (1024 * 1024)}, field=field)
    if file.size == 0:
        raise Invalid(_("文件是空的。"), field=field)


def sniff_audio(head: bytes) -> str | None:
    """The audio format the first bytes announce (one of AUDIO_EXTENSIONS), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS:
        return "m4a"
    # An ID3v2 tag, or an MPEG audio frame header (11 sync bits) at the very start.
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _parse_audio(file, kind: str):
    """The mutagen object for `kind`, parsed from the content (the name plays no part)."""
    file.seek(0)
    if kind == "ogg":
        return MutagenFile(file, options=[OggVorbis, OggOpus, OggFLAC])
    return {"wav": WAVE, "mp3": MP3, "m4a": MP4}[kind](file)


def audio_check(file, *, field: str = "audio") -> Audio:
    """Validate an uploaded recording (mp3, m4a, ogg or wav) and measure it.

    Raises Invalid naming `field` when the file is too large, of another format, named
    with an extension its content contradicts, damaged, or without sound."""
    limit = settings.LEARNING_AUDIO_MAX_BYTES
    _size_limit(file, limit, field)
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in AUDIO_EXTENSIONS:
        raise Invalid(_("录音只能是 MP3、M4A、OGG 或 WAV 文件。"), field=field)
    file.seek(0)
    kind = sniff_audio(file.read(16))
    if kind is None:
        raise Invalid(_("文件内容不是音频(MP3、M4A、OGG 或 WAV)。"), field=field)
    if kind != extension:
        raise Invalid(_("文件内容是 %(kind)s 音频,与扩展名 .%(ext)s 不符。") % {"kind": kind.upper(), "ext": extension},
                      field=field)
    try:
        parsed = _parse_audio(file, kind)
    except (MutagenError, ValueError, EOFError):
        parsed = None
    finally:
        file.seek(0)
    if parsed is None or parsed.info is None:
        raise Invalid(_("音频文件已损坏或无法识别。"), field=field)
    if kind == "m4a" and not str(getattr(parsed.info, "codec", "")).startswith(("mp4a", "alac")):
        raise Invalid(_("M4A 文件中没有音频。"), field=field)
    seconds = round(parsed.info.length or 0)
    if seconds < 1:
        raise Invalid(_("录音时长不足 1 秒。"), field=field)
    return Audio(extension=kind, seconds=seconds)


def image_check(file, *, field: str = "evidence") -> str:
    """Validate an uploaded photo (JPEG, PNG, GIF or WebP) by its content; returns the
    extension its content calls for."""

    limit = settings.LEARNING_IMAGE_MAX_BYTES
    _size_limit(file, limit, field)
    file.seek(0)
    try:
        # Only the allowed decoders are tried: no exotic format parser sees member uploads.
        with open_image(file) as image:
            fmt = image.format
            image.verify()
    except UNREADABLE:
        fmt = None
    finally:
        file.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise Invalid(_("照片只能是 JPEG、PNG、GIF 或 WebP 图片。"), field=field)
    return IMAGE_FORMATS[fmt]
