"""Paging parameters out of range are 422, never a 500 (issue 17, finding 7)."""

import pytest

from dangshi.core.apiutil import MAX_PAGE


@pytest.mark.parametrize("page", ["99999999999999999999", str(MAX_PAGE + 1), "0", "-1", "x"])
def test_huge_or_nonsense_page_is_refused_with_422_not_a_server_error(world, page):
    response = world.client("member_a").get(f"/api/v1/learning/items?page={page}")
    assert response.status_code == 422


def test_the_last_allowed_page_answers_an_empty_list(world):
    response = world.client("member_a").get(f"/api/v1/learning/items?page={MAX_PAGE}&page_size=500")
    assert response.status_code == 200 and response.json()["items"] == []


def test_huge_page_size_is_refused_with_422(world):
    assert world.client("member_a").get("/api/v1/learning/items?page_size=100000").status_code == 422
