from django.utils import translation

from dangshi.reports import prose


def test_changes_are_said_in_words_with_their_unit():
    assert prose.change(49, 37, unit="场次", previous="上周") == "较上周增加12场次"
    assert prose.change(5537, 6362, unit="人次", previous="上周") == "较上周减少825人次"
    assert prose.change(167, 167, unit="项", previous="上月") == "与上月持平"
    assert prose.change(71.1, 71.6, unit="", previous="上周", rate=True) == "较上周下降0.5个百分点"
    assert prose.change(71.1, None, unit="", previous="上周", rate=True) == ""


def test_overview_reads_in_english_too():
    rows = [{"key": "outreach.sessions", "label": "宣讲场次", "value": 49}]
    with translation.override("en"):
        (text,) = prose.overview(org_name="District", period_word="This week", previous_word="last week",
                                 headlines=rows, before={"outreach.sessions": 37})
    assert text == "This week, District held 49 lecture sessions, up 12 sessions on last week."
