"""Chinese search on both databases, and the public RSS and Atom feeds."""

from datetime import timedelta

import feedparser
import pytest

from dangshi.learning import selectors
from dangshi.learning.models import ItemGram
from dangshi.orgs.scope import scope_for
from tests.learning.conftest import T0, publish


def _search(world, q, persona="member_a"):
    qs = selectors.item_list(scope=scope_for(world.users[persona]), q=q, now=T0 + timedelta(hours=1))
    return {i.title for i in qs}


def test_a_two_character_word_in_the_body_finds_the_item(world, cols):
    publish(world, cols["stories"], "转折点", "<p>1935年1月，中央政治局在遵义召开扩大会议。</p>")
    publish(world, cols["stories"], "飞夺泸定桥", "<p>红四团昼夜急行军二百四十里。</p>")
    assert _search(world, "遵义") == {"转折点"}
    assert _search(world, "泸定") == {"飞夺泸定桥"}
    assert _search(world, "长征") == set()
    assert ItemGram.objects.filter(gram="遵义").count() == 1


def test_scattered_bigrams_do_not_match_a_longer_word(world, cols):
    # Both bigrams of 遵义会议 occur, but not the word: the substring check removes it.
    publish(world, cols["stories"], "两处", "<p>在遵义休整，随后召开会议。</p>")
    publish(world, cols["stories"], "一处", "<p>遵义会议确立了正确路线。</p>")
    assert _search(world, "遵义会议") == {"一处"}


def test_search_covers_answers_titles_and_latin_words_and_respects_audience(world, cols):
    publish(world, cols["questions"], "中共一大在哪里召开?", "", answer="<p>上海望志路106号,后转至嘉兴南湖。</p>")
    publish(world, cols["stories"], "Marxism 传入", "<p>五四运动以后。</p>")
    publish(world, cols["stories"], "仅限支部C", "<p>嘉兴南湖红船。</p>", audience_path=world.branch_c.path)
    assert _search(world, "嘉兴") == {"中共一大在哪里召开?"}
    assert _search(world, "嘉兴", "member_c") == {"中共一大在哪里召开?", "仅限支部C"}
    assert _search(world, "marxism") == {"Marxism 传入"}
    assert _search(world, "湖") == {"中共一大在哪里召开?"}  # one character: substring only


def test_api_search_and_column_filter(world, cols):
    publish(world, cols["stories"], "转折点", "<p>遵义会议。</p>")
    publish(world, cols["today"], "遵义会议召开", month=1, day=15, event_year=1935)
    client = world.client("member_a")
    body = client.get("/api/v1/learning/items", {"q": "遵义"}).json()
    assert body["count"] == 2
    body = client.get("/api/v1/learning/items", {"q": "遵义", "column": "today"}).json()
    assert [i["title"] for i in body["items"]] == ["遵义会议召开"]
    assert client.get("/api/v1/learning/items", {"column": "nope"}).status_code == 404


FEEDS = {  # suffix: (content type, feedparser's version)
    "xml": ("application/rss+xml", "rss20"),
    "atom": ("application/atom+xml", "atom10"),
}


@pytest.mark.parametrize("suffix", FEEDS)
def test_each_feed_validates_and_lists_only_public_published_items(world, cols, client, suffix):
    """RSS 2.0 and Atom 1.0 list the same entries: published, public, for everyone, this column."""
    publish(world, cols["today"], "公开已发布", "<p>正文</p>", month=1, day=15)
    publish(world, cols["today"], "更早公开", "<p>正文</p>", month=1, day=14, at=T0 - timedelta(days=1))
    publish(world, cols["today"], "未到时间", month=1, day=16, at=T0 + timedelta(days=3650))
    publish(world, cols["today"], "不公开", month=1, day=17, public=False)
    publish(world, cols["today"], "仅流动党员", month=1, day=18, for_all=False, for_mobile=True)
    publish(world, cols["today"], "仅支部A", month=1, day=19, audience_path=world.branch_a.path)
    publish(world, cols["stories"], "别的栏目")
    from dangshi.learning import services

    office = scope_for(world.users["office"])
    services.item_create(scope=office, actor=world.users["office"], column=cols["today"], org=world.root,
                         title="草稿", month=1, day=20)
    withdrawn = publish(world, cols["today"], "已撤回", month=1, day=21)
    services.item_transition(scope=office, actor=world.users["office"], item=withdrawn, to="withdrawn")

    content_type, version = FEEDS[suffix]
    response = client.get(f"/feeds/today.{suffix}")  # anonymous
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title.endswith("党史上的今天")
    assert [e.title for e in feed.entries] == ["公开已发布", "更早公开"]
    assert "/learning/items/" in feed.entries[0].link
    assert client.get(f"/feeds/nope.{suffix}").status_code == 404


def test_atom_entries_carry_author_dates_id_and_a_self_link(world, cols, client):
    publish(world, cols["today"], "公开已发布", "<p>正文</p>", month=1, day=15)
    feed = feedparser.parse(client.get("/feeds/today.atom").content)
    entry = feed.entries[0]
    assert entry.author == "中共测试区委员会"
    assert entry.published_parsed and entry.updated_parsed and entry.id
    assert any(link.rel == "self" and link.href.endswith("/feeds/today.atom") for link in feed.feed.links)


def test_the_column_page_links_both_feeds(world, cols):
    body = world.client("member_a").get("/learning/items/?column=today").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in body and 'href="/feeds/today.xml"' in body
    assert '<link rel="alternate" type="application/atom+xml"' in body and 'href="/feeds/today.atom"' in body
    search = world.client("member_a").get("/learning/search/?q=遵义").content.decode()
    assert 'rel="alternate"' not in search  # no column, no feed
