"""Fill-in grading: stems show 《____》 and “____”, so the marks are optional; width too."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangshi.quiz.grading import normalise_text
from dangshi.quiz.services import is_correct
from dangshi.quiz.services.bank import stem_key


@pytest.mark.parametrize("typed", ["论十大关系", "《论十大关系》", "〈论十大关系〉", "<<论十大关系>>", " 《论十大关系》。"])
def test_an_answer_is_right_with_or_without_book_title_marks(typed):
    assert is_correct(question_type="fill", answer=["论十大关系"], given=[typed])


def test_an_answer_stored_with_marks_accepts_it_typed_without():
    assert is_correct(question_type="fill", answer=["《新民主主义论》"], given=["新民主主义论"])


@pytest.mark.parametrize("typed", ["东方红1号", "东方红１号", "“东方红1号”", "\"东方红1号\""])
def test_full_and_half_width_and_quotation_marks_are_the_same_answer(typed):
    assert is_correct(question_type="fill", answer=["东方红一号", "东方红1号"], given=[typed])


def test_a_different_answer_is_still_wrong():
    assert not is_correct(question_type="fill", answer=["论十大关系"], given=["《论持久战》"])


def test_stem_keys_keep_their_marks_so_existing_banks_keep_their_keys():
    assert stem_key("1956年4月,毛泽东作《____》的讲话") != stem_key("1956年4月,毛泽东作____的讲话")


@given(st.text(alphabet="论十大关系ABC123", min_size=1, max_size=12))
def test_wrapping_any_answer_in_marks_never_changes_its_grade(text):
    assert normalise_text(f"《{text}》") == normalise_text(text)
