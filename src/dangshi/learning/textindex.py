"""Sanitising rich text and the bigram index behind Chinese search.

Why bigrams and not SQLite FTS5 or PostgreSQL full-text: Chinese has no spaces, so a
word tokenizer needs a dictionary; FTS5's `trigram` tokenizer and `pg_trgm` both index
three-character grams and cannot match a two-character word such as 遵义 or 长征 through
the index. Every distinct character bigram of an item, kept in `ItemGram`, finds any word
of two or more characters with the same indexed SQL on both databases; the candidates are
then checked with a substring match on the item's plain text, so a query never returns an
item that only contains the bigrams scattered.
"""

import re
import unicodedata
from html import unescape

import nh3

from dangshi.learning.models import Item, ItemGram

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "blockquote", "ul", "ol", "li", "h2", "h3", "h4",
    "img", "a", "span", "section", "figure", "figcaption", "table", "thead", "tbody", "tr", "td", "th",
}
ALLOWED_ATTRIBUTES = {"img": {"src", "alt", "width", "height"}, "a": {"href", "title"}, "*": {"class"}}
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def sanitise(html: str) -> str:
    """Rich text as the editor sends it, with scripts, handlers and styles removed."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"})


def plain_text(html: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html or ""))).strip()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def grams(text: str) -> set[str]:
    """Character bigrams of every CJK run (the run itself if one character), Latin/digit words whole."""
    out: set[str] = set()
    for token in _TOKEN.findall(normalise(text)):
        if token[0].isascii():
            out.add(token[:32])
        elif len(token) == 1:
            out.add(token)
        else:
            out.update(token[i : i + 2] for i in range(len(token) - 1))
    return out


def item_grams(item: Item) -> set[str]:
    return grams(" ".join((item.title, item.plain, plain_text(item.answer), item.source)))


def index_items(items: list[Item]) -> None:
    """Rebuild the index rows of `items` (called inside the writer's transaction)."""
    ItemGram.objects.filter(item__in=[i.pk for i in items]).delete()
    ItemGram.objects.bulk_create(
        (ItemGram(item_id=i.pk, gram=g) for i in items for g in item_grams(i)), batch_size=5000
    )


def query_grams(q: str) -> set[str]:
    return grams(q)
