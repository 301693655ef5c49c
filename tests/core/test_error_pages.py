"""Out of scope is a 404 by design, so people see the 404 page often: it is the site's own,
in Chinese (English in English mode), with a way back; the API keeps its JSON errors."""

from django.template import loader


def test_an_out_of_scope_member_page_shows_the_styled_chinese_404(world):
    sentinel = world.members["sentinel"]
    response = world.client("admin_b").get(f"/orgs/console/members/{sentinel.pk}/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回首页" in body and 'href="/"' in body
    assert "core/dangshi.css" in body and "core/favicon.svg" in body
    assert "哨兵" not in body and "Not Found" not in body


def test_an_unknown_url_shows_the_404_page_in_english_mode(world):
    client = world.client("member_a")
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    response = client.get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "Back to the home page" in body
    assert "页面不存在" not in body


def test_the_api_answers_404_as_json_not_the_page(world):
    response = world.client("admin_b").get("/api/v1/members/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_500_page_renders_without_a_request_or_database():
    body = loader.get_template("500.html").render()
    assert "系统暂时出错" in body and "返回首页" in body
