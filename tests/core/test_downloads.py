from dangshi.core.downloads import XLSX, attachment


def test_chinese_filenames_are_percent_encoded_in_the_header():
    response = attachment(b"x", "名册-HX.xlsx")
    assert response["Content-Type"] == XLSX
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "filename*=utf-8''%E5%90%8D%E5%86%8C-HX.xlsx" in header


def test_plain_names_and_other_types_pass_through():
    response = attachment(b"%PDF", "poster-1.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="poster-1.pdf"'
    assert response.content == b"%PDF"
