import subprocess

import pytest
from django.utils import timezone
from PIL import Image

from dangshi.core.cnformat import cn_date
from dangshi.errors import Conflict
from dangshi.orgs.scope import scope_for
from dangshi.outreach import letter, services
from tests.outreach import helpers as h


def test_appointment_letter_pdf_renders_its_chinese_text(world, tmp_path):
    lecturer = h.lecturer(world, name="赵青年", appoint=True)
    response = world.client("admin_a").get(f"/outreach/console/lecturers/{lecturer.pk}/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.content)
    # The text is really there (the CJK font is embedded, so it extracts) ...
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "聘" in text and "赵青年" in text and lecturer.letter_no in text
    assert cn_date(lecturer.appointed_on) in "".join(text.split())  # 2026年3月1日, no leading zeros
    # ... and it is drawn: the rendered page is not blank.
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height


def test_a_cjk_font_is_found_on_the_system():
    assert letter.cjk_font() in {"DangshiCJK", letter.FALLBACK_CID}


def test_letters_are_numbered_in_sequence_and_issued_once(world):
    first = h.lecturer(world, name="甲", appoint=True)
    second = h.lecturer(world, name="乙", appoint=True)
    year = timezone.localdate().year
    assert first.letter_no == f"宣聘〔{year}〕0001号" and second.letter_no == f"宣聘〔{year}〕0002号"
    with pytest.raises(Conflict):
        services.lecturer_appoint(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"], lecturer=first,
                                  on=timezone.localdate())


def test_letter_of_another_branch_is_not_found(world):
    lecturer = h.lecturer(world, appoint=True)
    assert world.client("admin_b").get(f"/outreach/console/lecturers/{lecturer.pk}/letter.pdf").status_code == 404


def test_lecturers_api_lists_lecturers_in_scope(world):
    h.lecturer(world, name="王宣讲", appoint=True)
    body = world.client("admin_a").get("/api/v1/outreach/lecturers").json()
    assert [item["name"] for item in body["items"]] == ["王宣讲"]
    assert body["items"][0]["letter_no"]
    assert world.client("admin_b").get("/api/v1/outreach/lecturers").json()["items"] == []
    assert world.client("member_a").get("/api/v1/outreach/lecturers").status_code == 404


def test_retired_lecturer_can_no_longer_be_named_on_a_session(world):
    from dangshi.errors import Invalid

    lecturer = h.lecturer(world)
    response = world.client("admin_a").post(f"/outreach/console/lecturers/{lecturer.pk}/retire/")
    assert response.status_code == 302
    lecturer.refresh_from_db()
    assert not lecturer.active
    with pytest.raises(Invalid):
        h.session(world, lecturers=[lecturer])
    assert world.client("admin_b").post(f"/outreach/console/lecturers/{lecturer.pk}/retire/").status_code == 404
