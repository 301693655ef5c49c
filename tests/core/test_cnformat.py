from datetime import date

from dangshi.core.cnformat import HALF_BETWEEN_CJK, cn_date, cn_punct


def test_dates_have_no_leading_zeros():
    assert cn_date(date(2026, 3, 1)) == "2026年3月1日" and cn_date(date(2021, 12, 31)) == "2021年12月31日"


def test_half_width_punctuation_between_chinese_becomes_full_width():
    assert cn_punct("本周,全区开展宣讲49场次;较上周增加12场次") == "本周，全区开展宣讲49场次；较上周增加12场次"
    assert cn_punct("答题正确率(%)") == "答题正确率（%）" and cn_punct("活跃度排名(人均)") == "活跃度排名（人均）"
    assert not HALF_BETWEEN_CJK.search(cn_punct("表扬:支部A 等单位,人均参与居前。"))


def test_numbers_and_latin_text_keep_their_punctuation():
    assert cn_punct("现场听众5,537人次") == "现场听众5,537人次"
    assert cn_punct("see (p. 3), then") == "see (p. 3), then"
