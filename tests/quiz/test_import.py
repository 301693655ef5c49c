import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from dangshi.core.tabular import ImportFailed
from dangshi.quiz.models import Question
from dangshi.quiz.services.bank import HEADERS, questions_export, questions_import

GOOD = [
    ["单选", "中国共产党第一次全国代表大会在哪座城市开幕?", "上海", "北京", "广州", "武汉", "", "", "", "", "A",
     "中共一大在上海开幕。", "建党时期", "1"],
    ["多选", "下列属于“三大法宝”的有", "统一战线", "武装斗争", "党的建设", "土地革命", "", "", "", "", "ABC",
     "毛泽东在《〈共产党人〉发刊词》中提出。", "建党时期/理论", "2"],
    ["判断", "遵义会议在1935年1月召开。", "", "", "", "", "", "", "", "", "对", "", "土地革命", "易"],
    ["填空", "1949年10月1日,____成立。", "", "", "", "", "", "", "", "", "中华人民共和国|新中国", "", "新中国", "中"],
]


def xlsx(rows, headers=HEADERS[:-1]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bank.xlsx"
    return out


def test_a_question_file_in_the_layout_imports_whole(db):
    assert questions_import(file=xlsx(GOOD)) == 4
    fill = Question.objects.get(type="fill")
    assert fill.current.answer == ["中华人民共和国", "新中国"]
    assert Question.objects.get(type="multiple").current.answer == ["A", "B", "C"]
    assert Question.objects.get(type="multiple").category.label == "建党时期/理论"
    assert Question.objects.get(type="true_false").current.answer == ["对"]


def test_one_answer_not_among_the_options_imports_nothing_and_names_the_row(db):
    rows = [list(r) for r in GOOD]
    rows[2 - 1][10] = "ABE"  # the multiple-choice row (spreadsheet row 3) has no option E
    with pytest.raises(ImportFailed) as failure:
        questions_import(file=xlsx(rows))
    assert Question.objects.count() == 0
    [error] = failure.value.errors
    assert error.row == 3 and error.column == "答案" and "E" in error.message


@pytest.mark.parametrize(("change", "row", "fragment"), [
    (lambda rows: rows[0].__setitem__(10, None), 2, "缺少答案"),
    (lambda rows: rows[0].__setitem__(1, "  "), 2, "题干不能为空"),
    (lambda rows: rows.append(list(rows[0])), 6, "重复"),
    (lambda rows: rows[0].__setitem__(10, "AB"), 2, "单选题只能有一个答案"),
])
def test_each_kind_of_bad_row_is_reported_with_its_row(db, change, row, fragment):
    rows = [list(r) for r in GOOD]
    change(rows)
    with pytest.raises(ImportFailed) as failure:
        questions_import(file=xlsx(rows))
    assert Question.objects.count() == 0
    assert any(e.row == row and fragment in e.message for e in failure.value.errors), failure.value.errors


def test_too_many_options_is_refused(db):
    headers = [*HEADERS[:10], "选项I", *HEADERS[10:-1]]
    row = [*GOOD[0][:10], "多余的选项", *GOOD[0][10:]]
    with pytest.raises(ImportFailed) as failure:
        questions_import(file=xlsx([row], headers=headers))
    assert failure.value.errors[0].row == 2 and "选项过多" in failure.value.errors[0].message


def test_a_stem_already_in_the_bank_is_a_duplicate(db):
    questions_import(file=xlsx(GOOD[:1]))
    with pytest.raises(ImportFailed) as failure:
        questions_import(file=xlsx(GOOD))
    assert [e.row for e in failure.value.errors] == [2]
    assert Question.objects.count() == 1


def test_export_writes_the_same_layout_back_and_it_reimports(db):
    questions_import(file=xlsx(GOOD))
    data = questions_export()
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[4][10] == "中华人民共和国|新中国"
    Question.objects.all().delete()
    again = io.BytesIO(data)
    again.name = "export.xlsx"
    assert questions_import(file=again) == 4


def test_the_command_imports_a_file_and_reports_bad_rows(db, tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx(GOOD).getvalue())
    call_command("import-questions", str(path))
    assert Question.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("import-questions", str(path))
    assert Question.objects.count() == 4


def test_the_starter_bank_cites_a_source_for_every_question(bank):
    assert bank >= 150
    assert not Question.objects.filter(current__source="").exists()
