"""The review queue spans learning and quiz: their fixtures, here too."""

from tests.learning.conftest import cols  # noqa: F401
from tests.quiz.conftest import bank, contest  # noqa: F401
