"""Small real audio files made in the test (the wave module; espeak-ng where installed)."""

import io
import math
import shutil
import struct
import subprocess
import wave

from django.core.files.uploadedfile import SimpleUploadedFile


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A mono 16-bit 440 Hz tone."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = (int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate)))
        w.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return out.getvalue()


def espeak_wav(text: str) -> bytes | None:
    """Mandarin speech from espeak-ng, or None where it is not installed."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        return None
    done = subprocess.run([binary, "-v", "cmn", "--stdout"], input=text.encode(), capture_output=True,  # noqa: S603
                          check=True, timeout=60)
    return done.stdout


def upload(name: str, data: bytes, content_type: str = "audio/wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def mp3_bytes(frames: int = 40) -> bytes:
    """A silent MPEG-1 Layer III stream (128 kbit/s, 44.1 kHz, mono): 417-byte frames of
    a header and zeroed side information and data, which decoders play as silence."""
    header = bytes([0xFF, 0xFB, 0x90, 0xC4])
    return (header + bytes(144 * 128000 // 44100 - 4)) * frames
