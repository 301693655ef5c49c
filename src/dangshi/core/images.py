"""Photos members upload (evidence, session photos): the formats accepted and shown.

Pillow opens only these formats: an upload that claims to be a photo is never handed to one of
Pillow's other decoders, and a decompression bomb is refused like any unreadable file."""

from PIL import Image, UnidentifiedImageError

# Pillow format → the extension stored.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
# What opening or decoding a bad upload raises.
UNREADABLE = (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError)


def open_image(fh) -> Image.Image:
    """`Image.open` limited to IMAGE_FORMATS; raises one of UNREADABLE for anything else."""
    return Image.open(fh, formats=list(IMAGE_FORMATS))
