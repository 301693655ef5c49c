"""Charts for the .docx briefing, drawn with matplotlib (Agg) in a CJK font."""

import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
RED = "#c8161d"


@lru_cache(maxsize=1)
def _font() -> font_manager.FontProperties | None:
    for path in CJK_FONTS:
        if Path(path).exists():
            return font_manager.FontProperties(fname=path)
    return None  # labels then fall back to the default font (boxes for Chinese)


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def trend_chart(title: str, weeks: list[str], series: list[tuple[str, list[float]]]) -> bytes:
    font = _font()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    for label, values in series[:5]:
        ax.plot(weeks, values, marker="o", label=label)
    ax.set_title(title, fontproperties=font)
    ax.tick_params(axis="x", labelsize=7)
    if series:
        ax.legend(prop=font, fontsize=7, loc="upper left")
    ax.grid(alpha=0.3)
    return _png(fig)


def ranking_chart(title: str, names: list[str], values: list[float]) -> bytes:
    font = _font()
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * max(len(names), 3) + 0.8))
    ax.barh(range(len(names)), values, color=RED)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontproperties=font, fontsize=8)
    ax.invert_yaxis()
    ax.set_title(title, fontproperties=font)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)
