"""The practical-matter rating code cannot be guessed (issue 17, finding 10)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dangshi.errors import Invalid
from dangshi.orgs.scope import scope_for
from dangshi.practical import selectors, services
from dangshi.practical.services_people import (
    CODE_TRIES,
    CODE_TRIES_PER_ADDRESS,
    rating_code_request,
    rating_submit,
)
from tests.practical.test_deeds_and_ratings import in_progress, matter

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def done(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = in_progress(world, matter(world))
    return services.matter_complete(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]),
                                    note="完成",
                                    files=[SimpleUploadedFile("p.png", PNG)])


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_guessing_the_code_voids_it_after_a_few_tries_so_the_right_one_is_then_refused(done):
    code = rating_code_request(matter=done, phone="13700004444")
    for _ in range(CODE_TRIES):
        with pytest.raises(Invalid):
            rating_submit(matter=done, score=5, phone="13700004444", code=_wrong(code))
    with pytest.raises(Invalid) as caught:
        rating_submit(matter=done, score=5, phone="13700004444", code=code)
    assert caught.value.field == "code"
    assert selectors.satisfaction(matter=done)["n"] == 0


def test_a_few_typos_before_the_right_code_still_rate(done):
    code = rating_code_request(matter=done, phone="13700005555")
    for _ in range(CODE_TRIES - 1):
        with pytest.raises(Invalid):
            rating_submit(matter=done, score=4, phone="13700005555", code=_wrong(code))
    rating_submit(matter=done, score=4, phone="13700005555", code=code)
    assert selectors.satisfaction(matter=done)["n"] == 1


def test_spraying_codes_over_many_phones_from_one_address_is_cut_off(done):
    code = rating_code_request(matter=done, phone="13700006666")
    url = reverse("practical:board_matter", args=[done.pk])
    sprayer = Client(REMOTE_ADDR="198.51.100.20")
    for i in range(CODE_TRIES_PER_ADDRESS):
        sprayer.post(url, {"phone": f"1370001{i:04d}", "code": "123456", "score": "5"})
    sprayer.post(url, {"phone": "13700006666", "code": code, "score": "5"})  # refused: too many tries here
    assert selectors.satisfaction(matter=done)["n"] == 0
    Client(REMOTE_ADDR="203.0.113.20").post(url, {"phone": "13700006666", "code": code, "score": "5"})
    assert selectors.satisfaction(matter=done)["n"] == 1


@pytest.mark.parametrize("phone", ["10000000000", "12345678901", "1370000", "abc"])
def test_invented_phone_numbers_cannot_ask_for_a_code(done, phone):
    with pytest.raises(Invalid):
        rating_code_request(matter=done, phone=phone)
