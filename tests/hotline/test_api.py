

def test_an_id_too_large_for_the_database_is_refused_as_invalid_not_a_server_error(world):
    """Found by the API fuzzer: a matter id past 2**63 reached SQLite (a 500)."""
    response = world.client("office").post("/api/v1/hotline/requests/1/matter", {"matter_id": 2**70},
                                           content_type="application/json")
    assert response.status_code == 422
