"""`dangshi check-content`: the shipped starter files checked as a fact-checker would.

- every entry has a source a reader can find (core.provenance.SourceRecord.problems);
- every 党史上的今天 month-day is a real date, and the entry's body states its own date;
- no two entries contradict each other on a date: an event or a work (《…》) dated by a
  党史上的今天 entry is dated the same wherever another entry (a question's explanation, an
  answer, a story) pairs it with a date;
- every answer is among its options; a fill-in answer is accepted with and without 《》
  and quotation marks, and in full-width as in half-width characters;
- the 天天读 plan is numbered 1, 2, 3... with dates in order.

Entries marked "withheld" (a source no reader could find) are counted, not checked: the
loaders skip them.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dangshi
from dangshi.core.provenance import SourceRecord
from dangshi.quiz.services import is_correct

ROOT = Path(dangshi.__file__).resolve().parent
FILES = {
    "today": (ROOT / "learning" / "data" / "today_in_history.json", "entries"),
    "qa": (ROOT / "learning" / "data" / "hundred_questions.json", "items"),
    "story": (ROOT / "learning" / "data" / "stories.json", "items"),
    "daily": (ROOT / "learning" / "data" / "daily_reading.json", "items"),
    "quiz": (ROOT / "quiz" / "data" / "starter_questions.json", "questions"),
}
DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
MONTH = re.compile(r"\d{1,2}月")
QUOTED = re.compile(r"“([^“”]{2,40})”")
WORK = re.compile(r"《[^《》]{2,40}》")
CLAUSE = re.compile(r"[，,、]")
SENTENCE = re.compile(r"[。;；!?！？\n]")


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    missing_days: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def load(files: dict | None = None) -> dict[str, list[dict]]:
    out = {}
    for kind, (path, key) in (files or FILES).items():
        out[kind] = json.loads(Path(path).read_text("utf-8")).get(key, []) if Path(path).exists() else []
    return out


def _label(kind: str, n: int, entry: dict) -> str:
    name = entry.get("title") or entry.get("question") or entry.get("stem") or ""
    return f"{kind}#{n + 1}「{name[:24]}」"


def _texts(kind: str, entry: dict) -> list[str]:
    if kind == "quiz":
        return [entry.get("stem", ""), entry.get("explanation", ""), *(entry.get("options") or {}).values()]
    return [entry.get("body", ""), entry.get("answer", "")]


def _dates_in(sentence: str) -> list[tuple[int, int, int | None]]:
    return [(int(y), int(m), int(d) if d else None) for y, m, d in DATE.findall(sentence)]


def check(data: dict[str, list[dict]]) -> Report:
    report = Report()
    shipped = {kind: [(n, e) for n, e in enumerate(entries) if not e.get("withheld")] for kind, entries in data.items()}
    verified = unverified = 0
    for kind, entries in shipped.items():
        for n, entry in entries:
            record = SourceRecord.from_json(entry.get("provenance"))
            for problem in record.problems():
                report.add(_label(kind, n, entry), problem)
            verified += record.status == "已核"
            unverified += record.status != "已核"
    _check_days(shipped["today"], report)
    _check_contradictions(shipped, report)
    _check_questions(shipped["quiz"], report)
    _check_daily(shipped["daily"], report)
    days = {(e["month"], e["day"]) for _n, e in shipped["today"]}
    report.missing_days = [f"{d.month}月{d.day}日" for d in _leap_year() if (d.month, d.day) not in days]
    withheld = sum(1 for entries in data.values() for e in entries if e.get("withheld"))
    report.counts = {
        "items": sum(len(v) for v in shipped.values()), "verified": verified, "unverified": unverified,
        "withheld": withheld, "today": len(shipped["today"]), "days_covered": len(days),
        "days_verified": len({(e["month"], e["day"]) for _n, e in shipped["today"]
                              if (e.get("provenance") or {}).get("status") == "已核"}),
        "qa": len(shipped["qa"]), "story": len(shipped["story"]), "daily": len(shipped["daily"]),
        "quiz": len(shipped["quiz"]),
    }
    return report


def _leap_year() -> list[date]:
    return [date.fromordinal(date(2000, 1, 1).toordinal() + i) for i in range(366)]


def _check_days(entries: list[tuple[int, dict]], report: Report) -> None:
    for n, e in entries:
        where = _label("today", n, e)
        try:
            date(2000, e["month"], e["day"])  # a leap year: 2月29日 is a real date
        except (KeyError, TypeError, ValueError):
            report.add(where, f"月日不是真实日期:{e.get('month')}月{e.get('day')}日")
            continue
        y, m, d = e.get("year"), e["month"], e["day"]
        body = e.get("body", "")
        if f"{y}年{m}月{d}日" not in body and not (f"{y}年{m}月" in body and f"{d}日" in body):
            report.add(where, f"正文没有写明本条的日期 {y}年{m}月{d}日")


def _check_contradictions(shipped: dict, report: Report) -> None:
    """Dates the 党史上的今天 entries give to events (their titles) and works (《…》 in their
    titles) against every other mention of the same work next to a date."""
    dated: dict[str, tuple[tuple[int, int, int], str]] = {}
    for n, e in shipped["today"]:
        when = (e.get("year"), e.get("month"), e.get("day"))
        title = e.get("title", "")
        # A work named in the title, in 《》 or (as in 阐述“星星之火，可以燎原”) in quotation marks.
        for key in [title, *WORK.findall(title), *(f"《{q}》" for q in QUOTED.findall(title))]:
            if key in dated and dated[key][0] != when:
                report.add(_label("today", n, e), f"“{key}”在另一条中的日期为 {_fmt(dated[key][0])}({dated[key][1]})")
            dated.setdefault(key, (when, _label("today", n, e)))
    works = {k for k in dated if k.startswith("《")}
    for kind, entries in shipped.items():
        for n, entry in entries:
            for text in _texts(kind, entry):
                for sentence in _sentences(text or ""):
                    for work, when in _pairs(sentence, works):
                        known, by = dated[work]
                        if when[0] != known[0] or when[1] != known[1] or (when[2] is not None and when[2] != known[2]):
                            report.add(_label(kind, n, entry), f"{work} 写作 {_fmt(when)},而 {by} 为 {_fmt(known)}")


def _sentences(text: str) -> list[str]:
    """Sentences, not broken at a ？ or ； inside a title (《中国的红色政权为什么能够存在？》)."""
    out, current, depth = [], [], 0
    for ch in text:
        depth += (ch == "《") - (ch == "》")
        if depth <= 0 and SENTENCE.match(ch):
            out.append("".join(current))
            current, depth = [], 0
        else:
            current.append(ch)
    return [*out, "".join(current)]


def _pairs(sentence: str, works: set[str]) -> list[tuple[str, tuple]]:
    """(work, date) the sentence pairs: in order after 分别, or its only known work with its only date."""
    named = [w for w in WORK.findall(sentence) if w in works]
    dates = _dates_in(sentence)
    if not named or not dates or len(MONTH.findall(sentence)) != len(dates):
        return []  # a month without its year ("9月通过,10月公布"): two events, no pairing
    if "分别" in sentence and len(named) == len(dates) > 1:
        return list(zip(named, dates, strict=True))
    if len(set(named)) == 1 and len(dates) == 1:
        return [(named[0], dates[0])]
    pairs = []  # "《甲》写于…,《乙》写于…": each clause its own work and date
    masked, tokens = sentence, {}
    for i, work in enumerate(dict.fromkeys(named)):  # a title may hold a comma: mask it first
        tokens[f"⟨{i}⟩"] = work
        masked = masked.replace(work, f"⟨{i}⟩")
    for clause in CLAUSE.split(masked):
        in_clause = [tokens[t] for t in re.findall(r"⟨\d+⟩", clause)]
        clause_dates = _dates_in(clause)
        if len(set(in_clause)) == 1 and len(clause_dates) == 1 == len(MONTH.findall(clause)):
            pairs.append((in_clause[0], clause_dates[0]))
    return pairs


def _fmt(when: tuple) -> str:
    y, m, d = when
    return f"{y}年{m}月{d}日" if d else f"{y}年{m}月"


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def fill_variants(answer: str) -> list[str]:
    """What a member may type for `answer`: as is, in 《》 or “” marks, in full-width characters."""
    bare = answer.strip("《》“”\"")
    return [bare, f"《{bare}》", f"“{bare}”", bare.translate(FULL_WIDTH), f"《{bare.translate(FULL_WIDTH)}》"]


def _check_questions(entries: list[tuple[int, dict]], report: Report) -> None:
    for n, q in entries:
        where = _label("quiz", n, q)
        qtype, options, answer = q.get("type"), q.get("options") or {}, q.get("answer")
        if qtype in ("single", "multiple"):
            keys = [k for k in "".join(answer if isinstance(answer, list) else [str(answer or "")]) if not k.isspace()]
            if not keys or any(k not in options for k in keys):
                report.add(where, f"答案 {answer} 不在选项 {''.join(options)} 中")
            if qtype == "single" and len(keys) != 1:
                report.add(where, "单选题应只有一个答案")
        elif qtype == "true_false":
            if answer not in ("对", "错"):
                report.add(where, f"判断题答案应为对或错,而非 {answer}")
        elif qtype == "fill":
            accepted = answer if isinstance(answer, list) else str(answer or "").split("|")
            for a in accepted:
                refused = [v for v in fill_variants(a) if not is_correct(question_type="fill", answer=accepted,
                                                                          given=[v])]
                if refused:
                    report.add(where, f"填空答案的写法 {refused} 会被判错")
        else:
            report.add(where, f"未知题型 {qtype}")


def _check_daily(entries: list[tuple[int, dict]], report: Report) -> None:
    last = None
    for position, (n, r) in enumerate(entries, start=1):
        where = _label("daily", n, r)
        if r.get("number") != position:
            report.add(where, f"期数应为 {position}")
        try:
            day = date.fromisoformat(r.get("date", ""))
        except ValueError:
            report.add(where, "缺少阅读日期")
            continue
        if last is not None and day < last:
            report.add(where, "阅读日期早于上一期")
        last = day
