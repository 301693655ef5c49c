"""`dangshi check-content` over the shipped files (so `make test` runs it), and the checker
catching each kind of defect the fact-check found."""

import copy
import importlib

import pytest
from django.core.management import CommandError, call_command

from dangshi.review import checks

COMMAND = importlib.import_module("dangshi.review.management.commands.check-content")
WRITINGS = "下列文章中，毛泽东在土地革命战争时期写作的有："


@pytest.fixture(scope="module")
def shipped():
    return checks.load()


def test_the_shipped_content_passes_the_checker(capsys):
    call_command("check-content")
    out = capsys.readouterr().out
    assert "check-content: no problems" in out and "days covered" in out


def test_the_counts_add_up(shipped):
    counts = checks.check(shipped).counts
    assert counts["items"] == counts["verified"] + counts["unverified"]
    assert counts["items"] == sum(1 for entries in shipped.values() for e in entries if not e.get("withheld"))
    assert counts["days_covered"] + len(checks.check(shipped).missing_days) == 366


def _question(data, stem):
    return next(q for q in data["quiz"] if q["stem"] == stem)


def test_the_writings_explanation_dates_each_work_as_its_today_entry_does(shipped):
    explanation = _question(shipped, WRITINGS)["explanation"]
    works = {"《中国的红色政权为什么能够存在？》", "《星星之火，可以燎原》"}
    pairs = dict(p for s in checks._sentences(explanation) for p in checks._pairs(s, works))
    assert pairs == {"《中国的红色政权为什么能够存在？》": (1928, 10, 5), "《星星之火，可以燎原》": (1930, 1, 5)}
    assert "《井冈山的斗争》写于1928年11月25日" in explanation


def test_dates_swapped_between_two_works_are_a_contradiction(shipped):
    data = copy.deepcopy(shipped)
    _question(data, WRITINGS)["explanation"] = ("《中国的红色政权为什么能够存在？》写于1930年1月5日，"
                                                "《星星之火，可以燎原》写于1928年10月5日。")
    errors = checks.check(data).errors
    assert len([e for e in errors if "写作" in e]) == 2


def test_the_september_9_entry_says_great_marxist(shipped):
    entry = next(e for e in shipped["today"] if (e["month"], e["day"], e["year"]) == (9, 9, 1976))
    assert "他是伟大的马克思主义者，伟大的无产阶级革命家" in entry["body"]


def test_the_1999_medal_question_does_not_cite_the_volume_ending_in_1978(shipped):
    q = next(q for q in shipped["quiz"] if q["stem"].startswith("1999年，党中央、国务院、中央军委决定"))
    cited = [q["provenance"]["title"], *q["provenance"].get("extra", [])]
    assert not any("《中国共产党历史》第二卷" in c for c in cited)


def test_every_fill_in_answer_is_accepted_with_and_without_marks_and_in_full_width(shipped):
    fills = [q for q in shipped["quiz"] if q["type"] == "fill"]
    assert fills and not [e for e in checks.check(shipped).errors if "填空" in e]
    assert checks.fill_variants("论十大关系")[1] == "《论十大关系》"


def test_the_checker_finds_a_missing_source_an_impossible_day_and_an_answer_not_among_the_options(shipped):
    data = copy.deepcopy(shipped)
    data["today"][0]["provenance"] = {"title": "新华网相关报道", "status": "未核"}
    data["today"][1]["month"], data["today"][1]["day"] = 2, 30
    q = next(q for q in data["quiz"] if q["type"] == "single")
    q["answer"] = "H"
    data["qa"][0]["provenance"] = {"title": "《中国共产党简史》", "publisher": "人民出版社", "edition": "2021",
                                   "status": "已核"}
    errors = "\n".join(checks.check(data).errors)
    assert "图书缺少出版社" in errors and "图书缺少版次年份" in errors
    assert "月日不是真实日期:2月30日" in errors
    assert "答案 H 不在选项" in errors
    assert "已核而未写核对人" in errors and "已核而未写核对所据的版本或网址" in errors


def test_a_today_entry_whose_body_states_another_date_is_reported(shipped):
    data = copy.deepcopy(shipped)
    data["today"][0]["day"] = 2
    assert any("正文没有写明本条的日期" in e for e in checks.check(data).errors)


def test_the_command_fails_on_a_problem(monkeypatch):
    def broken():
        data = checks.load()
        data["quiz"][0]["answer"] = "Z"
        return data

    monkeypatch.setattr(COMMAND, "load", broken)
    with pytest.raises(CommandError, match="problems in the starter content"):
        call_command("check-content")
