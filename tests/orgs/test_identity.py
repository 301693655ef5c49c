from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangshi.core.phones import normalise_phone
from dangshi.errors import Invalid
from dangshi.orgs.identity import id_check_char, normalise_id_number

births = st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31))


@given(births, st.integers(0, 999), st.sampled_from(["110101", "420114", "310104"]))
def test_every_number_with_its_check_char_is_accepted(birth, order, area):
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    number = first17 + id_check_char(first17)
    assert normalise_id_number(number) == number
    assert normalise_id_number(number.lower()) == number  # a lower-case x is accepted


@given(births, st.integers(0, 999))
def test_any_other_check_char_is_refused(birth, order):
    first17 = f"110101{birth:%Y%m%d}{order:03d}"
    good = id_check_char(first17)
    for wrong in "0123456789X".replace(good, ""):
        with pytest.raises(Invalid, match="校验位"):
            normalise_id_number(first17 + wrong)


def test_a_published_example_number_validates():
    # The GB 11643-1999 worked example: 11010519491231002X.
    assert normalise_id_number("11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize("bad", ["", "1234", "11010519491331002X", "1101051949123100ZX"])
def test_malformed_numbers_are_refused(bad):
    with pytest.raises(Invalid):
        normalise_id_number(bad)


@given(st.text(max_size=30))
def test_phone_parser_never_crashes_and_returns_eleven_digits(text):
    try:
        phone = normalise_phone(text)
    except Invalid:
        return
    assert len(phone) == 11 and phone.isdigit() and phone[0] == "1"


@pytest.mark.parametrize(("raw", "phone"), [("13812341234", "13812341234"), ("+86 138 1234 1234", "13812341234"),
                                            ("138-1234-1234", "13812341234"), ("１３８１２３４１２３４", "13812341234")])
def test_phone_formats_are_normalised(raw, phone):
    assert normalise_phone(raw) == phone


def test_a_refusal_echoes_only_the_start_and_the_length_of_a_long_value():
    with pytest.raises(Invalid) as refused:
        normalise_phone("1380013800099")
    assert str(refused.value.message) == "手机号应为 11 位数字,以 1 开头:138…(13 位)"
