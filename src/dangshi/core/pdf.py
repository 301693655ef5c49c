"""What every PDF dangshi draws needs: a font with Chinese glyphs, and a QR code."""

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and name a CJK font: a TrueType one found on the system (embedded in the
    PDF), else reportlab's standard CID font STSong-Light (the reader supplies the glyphs)."""
    candidates = [Path(p) for p in CJK_FONT_CANDIDATES]
    try:
        fc_list = shutil.which("fc-list")
        listed = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True,  # noqa: S603
                                timeout=5).stdout if fc_list else ""
        candidates += [Path(line.split(":")[0].strip()) for line in listed.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    for path in candidates:
        if path.suffix.lower() not in (".ttf", ".ttc") or not path.exists():
            continue
        try:
            pdfmetrics.registerFont(TTFont("DangshiCJK", str(path), subfontIndex=0))
            return "DangshiCJK"
        except Exception:  # noqa: BLE001, S112 - a font reportlab cannot read: try the next one
            continue
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def draw_qr(pdf, value: str, *, x: float, y: float, size: float) -> None:
    """A QR code of `value`, `size` points square, its lower-left corner at (x, y), drawn as a
    one-bit image of its modules. The mask pattern is fixed: choosing the best of the eight
    takes seven times longer (41 against 5 ms a code, measured), and any mask scans; sheets of
    hundreds of codes depend on it (bench/member_accounts.py)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    code.add_data(value)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    image = Image.new("1", (n, n), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    pdf.drawImage(ImageReader(image), x, y, width=size, height=size)
