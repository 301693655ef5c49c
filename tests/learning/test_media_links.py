"""A learning item's media link is http(s) only (issue 17, finding 11)."""

import pytest

from dangshi.core.links import is_web_link
from dangshi.errors import Invalid
from dangshi.learning import services
from dangshi.orgs.scope import scope_for


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "//evil.example/x", "https://", "file:///etc/passwd"])
def test_script_and_other_non_web_media_links_are_refused(world, cols, url):
    with pytest.raises(Invalid) as caught:
        services.item_create(scope=scope_for(world.users["office"]), actor=world.users["office"],
                             column=cols["videos"], org=world.root, title="视频", media_url=url)
    assert caught.value.field == "media_url"


def test_http_and_https_media_links_are_kept(world, cols):
    item = services.item_create(scope=scope_for(world.users["office"]), actor=world.users["office"],
                                column=cols["videos"], org=world.root, title="视频",
                                media_url="https://www.12371.cn/a.mp4")
    assert item.media_url == "https://www.12371.cn/a.mp4"
    assert is_web_link("http://127.0.0.1:8000/m.mp3")
