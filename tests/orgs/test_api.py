import pytest
from django.core.management import call_command
from django.test import Client

from dangshi.orgs.models import Member
from tests.factories import PASSWORD


def _token(client, username, password=PASSWORD):
    response = client.post("/api/v1/auth/token", {"username": username, "password": password},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_me_names_the_user_roles_and_org(world, client):
    auth = _token(client, "admin_a")
    body = client.get("/api/v1/me", **auth).json()
    assert body["username"] == "admin_a"
    assert body["org"] == {"code": "BRA", "name": "测试社区第一党支部"}
    assert body["roles"][0]["role"] == "org_admin"


def test_org_admin_lists_only_their_branch_members(world, client):
    auth = _token(client, "admin_a")
    body = client.get("/api/v1/members/", **auth).json()
    assert body["count"] == 2
    assert {m["name"] for m in body["items"]} == {"甲支部党员", "哨兵甲乙丙"}


def test_org_admin_gets_404_on_a_sibling_branch_member(world, client):
    auth = _token(client, "admin_a")
    sibling = world.members["member_b"]
    response = client.get(f"/api/v1/members/{sibling.pk}", **auth)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/orgs/{world.branch_b.code}", **auth).status_code == 404
    assert client.get("/api/v1/members/?org=BRB", **auth).status_code == 404


def test_personal_data_is_masked_in_the_api(world, client):
    auth = _token(client, "office")
    body = client.get(f"/api/v1/members/{world.members['sentinel'].pk}", **auth).json()
    assert body["phone"] == "139****5678"
    assert body["id_number"].startswith("110") and "*" * 11 in body["id_number"]


def test_orgs_filter_by_parent_and_grassroots(world, client):
    auth = _token(client, "office")
    children = client.get("/api/v1/orgs/?parent=CM1", **auth).json()
    assert [o["code"] for o in children["items"]] == ["BRA", "BRB"]
    grassroots = client.get("/api/v1/orgs/?grassroots=1", **auth).json()
    assert grassroots["count"] == 4


def test_pagination_caps_page_size_at_500(world, client):
    auth = _token(client, "office")
    assert client.get("/api/v1/orgs/?page_size=500", **auth).status_code == 200
    response = client.get("/api/v1/orgs/?page_size=501", **auth)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_anonymous_api_call_is_401_json(world, client):
    response = client.get("/api/v1/members/")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_openapi_document_is_valid_json_with_the_routes(world, client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/orgs/", "/api/v1/orgs/{code}", "/api/v1/members/", "/api/v1/members/{member_id}", "/api/v1/me"):
        assert path in doc["paths"]


@pytest.mark.slow
@pytest.mark.django_db
def test_demo_district_has_534_grassroots_orgs_and_11543_members():
    call_command("demo", verbosity=0)
    client = Client()
    from dangshi.core.demo import DEMO_PASSWORD

    auth = _token(client, "office", DEMO_PASSWORD)
    assert client.get("/api/v1/orgs/?grassroots=1", **auth).json()["count"] == 534
    assert client.get("/api/v1/members/", **auth).json()["count"] == 11_543
    branch1 = _token(client, "branch1", DEMO_PASSWORD)
    me = client.get("/api/v1/me", **branch1).json()
    listed = client.get("/api/v1/members/?page_size=500", **branch1).json()
    assert listed["count"] == Member.objects.filter(org__code=me["org"]["code"]).count()
    assert {m["org"]["code"] for m in listed["items"]} == {me["org"]["code"]}
