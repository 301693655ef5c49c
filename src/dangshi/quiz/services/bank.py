"""The question bank: adding and editing questions (each edit a new version), the 题库
spreadsheet layout in and out, and the starter bank."""

import json
import re
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dangshi.audit.services import log_event
from dangshi.core import tabular
from dangshi.core.provenance import starter_fields
from dangshi.core.tabular import Column, ImportFailed, RowError
from dangshi.errors import Invalid
from dangshi.quiz.grading import FALSE, OPTION_KEYS, TRUE, fold_text, normalise_text  # noqa: F401 - also the bank's terms
from dangshi.quiz.models import Category, Question, QuestionType, QuestionVersion

TYPE_NAMES = {"单选": QuestionType.SINGLE, "单选题": QuestionType.SINGLE, "多选": QuestionType.MULTIPLE,
              "多选题": QuestionType.MULTIPLE, "判断": QuestionType.TRUE_FALSE, "判断题": QuestionType.TRUE_FALSE,
              "填空": QuestionType.FILL, "填空题": QuestionType.FILL}
TYPE_LABELS = {QuestionType.SINGLE: "单选", QuestionType.MULTIPLE: "多选", QuestionType.TRUE_FALSE: "判断",
               QuestionType.FILL: "填空"}
DIFFICULTIES = {"1": 1, "2": 2, "3": 3, "易": 1, "简单": 1, "中": 2, "中等": 2, "难": 3, "困难": 3}
TRUE_WORDS = {"对", "正确", "√", "✓", "T", "TRUE", "是", "Y"}
FALSE_WORDS = {"错", "错误", "×", "✗", "F", "FALSE", "否", "N"}
STARTER = Path(__file__).resolve().parent.parent / "data" / "starter_questions.json"

def stem_key(stem: str) -> str:
    # Stems keep their marks: the stored keys of existing banks were made this way.
    return fold_text(stem)[:400]


def check_question(*, type: str, stem: str, options: dict, answer) -> list:
    """The answer in canonical form (a sorted list), or Invalid naming the field at fault."""
    if not stem.strip():
        raise Invalid(_("题干不能为空。"), field="stem")
    if type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if len(options) < 2:
            raise Invalid(_("选择题至少需要两个选项。"), field="options")
        if len(options) > len(OPTION_KEYS):
            raise Invalid(_("选项过多,最多 %(n)d 个。") % {"n": len(OPTION_KEYS)}, field="options")
        keys = sorted({k for k in "".join(answer if isinstance(answer, list) else [answer]).upper() if not k.isspace()})
        if not keys:
            raise Invalid(_("缺少答案。"), field="answer")
        missing = [k for k in keys if k not in options]
        if missing:
            raise Invalid(_("答案 %(k)s 不在选项中。") % {"k": "".join(missing)}, field="answer")
        if type == QuestionType.SINGLE and len(keys) != 1:
            raise Invalid(_("单选题只能有一个答案。"), field="answer")
        if type == QuestionType.MULTIPLE and len(keys) < 2:
            raise Invalid(_("多选题至少有两个正确选项。"), field="answer")
        return keys
    if type == QuestionType.TRUE_FALSE:
        raw = normalise_text(answer[0] if isinstance(answer, list) and answer else answer).upper()
        if raw in {w.upper() for w in TRUE_WORDS}:
            return [TRUE]
        if raw in {w.upper() for w in FALSE_WORDS}:
            return [FALSE]
        raise Invalid(_("判断题的答案应为“对”或“错”。"), field="answer")
    accepted = answer if isinstance(answer, list) else str(answer or "").split("|")
    accepted = [tabular.text(a) for a in accepted if tabular.text(a)]
    if not accepted:
        raise Invalid(_("缺少答案。"), field="answer")
    return accepted


def category_for(label: str) -> Category:
    """The category at a path like "党史/建党时期", created as needed."""
    parent = None
    for name in [p.strip() for p in (label or _("未分类")).split("/") if p.strip()]:
        parent, _created = Category.objects.get_or_create(parent=parent, name=name[:60])
    return parent


def question_create(*, type: str, stem: str, options: dict, answer, explanation: str = "", category: str = "",
                    difficulty: int = 1, source: str = "", actor=None, log: bool = True) -> Question:
    answer = check_question(type=type, stem=stem, options=options, answer=answer)
    key = stem_key(stem)
    if Question.objects.filter(stem_key=key).exists():
        raise Invalid(_("题干重复:已有相同的题目。"), field="stem")
    with transaction.atomic():
        question = Question.objects.create(category=category_for(category), type=type, difficulty=difficulty,
                                           stem_key=key)
        version = QuestionVersion.objects.create(question=question, stem=stem, options=options, answer=answer,
                                                 explanation=explanation, source=source[:300], created_by=_user(actor))
        question.current = version
        question.save(update_fields=["current"])
        if log:
            log_event("quiz.question.created", actor=actor, obj=question, data={"type": type})
    return question


def question_edit(*, question: Question, stem: str, options: dict, answer, explanation: str, source: str = "",
                  difficulty: int | None = None, actor=None) -> QuestionVersion:
    """A new version becomes current; attempts keep pointing at the version they were served."""
    answer = check_question(type=question.type, stem=stem, options=options, answer=answer)
    key = stem_key(stem)
    if Question.objects.filter(stem_key=key).exclude(pk=question.pk).exists():
        raise Invalid(_("题干重复:已有相同的题目。"), field="stem")
    with transaction.atomic():
        # Lock the question so two editors cannot both create version n+1.
        question = Question.objects.select_for_update().get(pk=question.pk)
        number = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = QuestionVersion.objects.create(question=question, number=number + 1, stem=stem, options=options,
                                                 answer=answer, explanation=explanation, source=source[:300],
                                                 created_by=_user(actor))
        question.current, question.stem_key = version, key
        if difficulty:
            question.difficulty = difficulty
        question.save(update_fields=["current", "stem_key", "difficulty"])
        log_event("quiz.question.edited", actor=actor, obj=question, data={"version": version.number})
    return version


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# -- the 题库 spreadsheet layout ---------------------------------------------------

COLUMNS = [
    Column("type", "题型", parse=tabular.choice(TYPE_NAMES)),
    Column("stem", "题干", required=False),
    *[Column(f"opt_{k}", f"选项{k}", required=False, optional_column=True) for k in OPTION_KEYS],
    Column("answer", "答案", required=False),
    Column("explanation", "解析", required=False, optional_column=True),
    Column("category", "分类", required=False, optional_column=True),
    Column("difficulty", "难度", required=False, optional_column=True, parse=tabular.choice(DIFFICULTIES)),
    Column("source", "出处", required=False, optional_column=True),
]
HEADERS = ["题型", "题干", *[f"选项{k}" for k in OPTION_KEYS], "答案", "解析", "分类", "难度", "出处"]
_EXTRA_OPTION = re.compile(r"^选项[I-Z]$")


def questions_validate(*, file, filename: str | None = None) -> list[dict]:
    """Every row checked (missing answer, answer not among the options, duplicate stem, empty
    stem, too many options); ImportFailed lists every problem by row."""
    try:
        table = tabular.read_table(file, COLUMNS, filename=filename)
    except ImportFailed as failure:
        if failure.table is None:
            raise
        table, errors = failure.table, list(failure.errors)
    else:
        errors = []
    extra = [i for i, h in enumerate(table.headers) if _EXTRA_OPTION.match(h)]
    bad_rows = {e.row for e in errors}
    seen: dict[str, int] = {}
    rows = []
    for raw, r in zip(_raw_by_row(table), table.rows, strict=True):
        n = r["_row"]
        if any(i < len(raw) and tabular.text(raw[i]) for i in extra):
            errors.append(RowError(n, "选项", _("选项过多,最多 %(n)d 个(选项A–选项H)。") % {"n": len(OPTION_KEYS)}))
            continue
        if n in bad_rows:
            continue
        options = {k: r[f"opt_{k}"] for k in OPTION_KEYS if r.get(f"opt_{k}")}
        try:
            if r["type"] in (QuestionType.TRUE_FALSE, QuestionType.FILL):
                options = {}
            if not r["stem"]:
                raise Invalid(_("题干不能为空。"), field="stem")
            if not r["answer"]:
                raise Invalid(_("缺少答案。"), field="answer")
            r["answer"] = check_question(type=r["type"], stem=r["stem"], options=options, answer=r["answer"])
        except Invalid as exc:
            column = {"stem": "题干", "answer": "答案", "options": "选项A"}.get(exc.field, "")
            errors.append(RowError(n, column, str(exc.message)))
            continue
        r["options"] = options
        key = stem_key(r["stem"])
        if key in seen:
            errors.append(RowError(n, "题干", _("与第 %(row)d 行的题干重复。") % {"row": seen[key]}))
            continue
        seen[key] = n
        r["stem_key"] = key
        rows.append(r)
    existing = set(Question.objects.filter(stem_key__in=list(seen)).values_list("stem_key", flat=True))
    errors.extend(RowError(r["_row"], "题干", _("题库中已有相同题干的题目。")) for r in rows if r["stem_key"] in existing)
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportFailed(errors, table)
    return rows


def _raw_by_row(table):
    by_number = {offset + 2: raw for offset, raw in enumerate(table.raw_rows)}
    return [by_number[r["_row"]] for r in table.rows]


def questions_import(*, file, actor=None, filename: str | None = None) -> int:
    """Import the whole file or nothing (ImportFailed). Returns the number of questions added."""
    rows = questions_validate(file=file, filename=filename)
    with transaction.atomic():
        for r in rows:
            question_create(type=r["type"], stem=r["stem"], options=r["options"], answer=r["answer"],
                            explanation=r.get("explanation") or "", category=r.get("category") or "",
                            difficulty=r.get("difficulty") or 1, source=r.get("source") or "", actor=actor, log=False)
        log_event("quiz.bank.imported", actor=actor, data={"rows": len(rows)})
    return len(rows)


def _answer_cell(question_type: str, answer: list) -> str:
    if question_type == QuestionType.FILL:
        return "|".join(answer)
    return "".join(answer)


def questions_export(*, actor=None) -> bytes:
    versions = QuestionVersion.objects.filter(question__current_id=F("id")).select_related(
        "question__category__parent").order_by("question_id")

    def rows():
        for v in versions.iterator(chunk_size=1000):
            q = v.question
            yield [TYPE_LABELS[q.type], v.stem, *[v.options.get(k, "") for k in OPTION_KEYS],
                   _answer_cell(q.type, v.answer), v.explanation, q.category.label, q.difficulty, v.source]

    data = tabular.workbook_bytes(HEADERS, rows(), title="题库")
    log_event("quiz.bank.exported", actor=actor, data={})
    return data


def starter_load(*, actor=None) -> int:
    """Load the starter bank (skipping stems already in the bank), in a handful of bulk queries."""
    data = json.loads(STARTER.read_text(encoding="utf-8"))
    existing = set(Question.objects.values_list("stem_key", flat=True))
    todo = []
    for q in data["questions"]:
        if q.get("withheld"):
            continue
        key = stem_key(q["stem"])
        if key in existing:
            continue
        existing.add(key)
        answer = check_question(type=q["type"], stem=q["stem"], options=q.get("options") or {}, answer=q["answer"])
        todo.append((q, key, answer))
    with transaction.atomic():
        categories = {label: category_for(label) for label in {q.get("category", "") for q, _k, _a in todo}}
        questions = Question.objects.bulk_create(
            Question(category=categories[q.get("category", "")], type=q["type"], difficulty=q.get("difficulty", 1),
                     stem_key=key) for q, key, _a in todo)
        versions = QuestionVersion.objects.bulk_create(
            QuestionVersion(question=question, stem=q["stem"], options=q.get("options") or {}, answer=answer,
                            explanation=q.get("explanation", ""), **starter_fields(q))
            for question, (q, _k, answer) in zip(questions, todo, strict=True))
        for question, version in zip(questions, versions, strict=True):
            question.current = version
        Question.objects.bulk_update(questions, ["current"], batch_size=500)
        log_event("quiz.bank.starter_loaded", actor=actor, data={"added": len(questions)})
    return len(questions)


def questions_template() -> bytes:
    """The 题库 layout with one example of each question type."""
    blank = [""] * (len(OPTION_KEYS) - 4)
    return tabular.template_bytes(COLUMNS, [
        ["单选", "中国共产党第一次全国代表大会最后一天的会议在哪里举行?", "上海", "嘉兴南湖红船上", "北京", "广州", *blank,
         "B", "会议后转移到浙江嘉兴南湖的游船上继续举行。", "党史/建党时期", "易", "《中国共产党简史》"],
        ["判断", "遵义会议于1935年1月召开。", *[""] * len(OPTION_KEYS), "对", "", "党史/长征", "中", ""],
    ], title="题库", choices={"type": ("单选", "多选", "判断", "填空"), "difficulty": ("易", "中", "难")}, hints={
        "type": "判断题和填空题不填选项",
        "answer": "单选填一个字母(如 A),多选填多个字母(如 ABD),判断填“对”或“错”,填空题的多个可接受答案用 | 分隔",
        "category": "用 / 分级,如 党史/建党时期",
    })
