def test_chinese_is_the_default_language(world, client):
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body


def test_english_is_available_for_pages_and_api_errors(world, client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in body and "Log in" in body
    client.force_login(world.users["admin_a"])
    response = client.get(f"/api/v1/members/{world.members['member_b'].pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json()["message"] == "Member not found."


def test_the_language_switch_remembers_the_choice(world, client):
    response = client.post("/accounts/language/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Log in" in client.get("/accounts/login/").content.decode()
