import hashlib

from dangshi.accounts.models import ApiToken
from tests.factories import PASSWORD


def _issue(client, username="admin_a"):
    response = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    return response.json()["token"]


def test_tokens_are_stored_hashed(world, client):
    key = _issue(client)
    token = ApiToken.objects.get(user=world.users["admin_a"])
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.digest, token.prefix, token.name}


def test_a_revoked_token_no_longer_authenticates(world, client):
    key = _issue(client)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    assert client.delete(f"/api/v1/auth/token/{key[:8]}", **auth).status_code == 204
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_one_user_cannot_revoke_anothers_token(world, client):
    key_a = _issue(client, "admin_a")
    key_b = _issue(client, "admin_b")
    response = client.delete(f"/api/v1/auth/token/{key_a[:8]}", HTTP_AUTHORIZATION=f"Bearer {key_b}")
    assert response.status_code == 404
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key_a}").status_code == 200


def test_garbage_bearer_is_401(world, client):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
