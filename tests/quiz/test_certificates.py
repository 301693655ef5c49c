import io
import subprocess
import zipfile

import pytest
from django.utils import timezone
from PIL import Image

from dangshi.core.cnformat import cn_date
from dangshi.quiz.models import Certificate, Contest, FlagStatus
from dangshi.quiz.services.anticheat import flag_create, flag_review
from dangshi.quiz.services.certificates import certificate_pdf, selection_make
from tests.quiz.test_ranking import DAYS, PLAN, play


@pytest.fixture
def season(world, contest):
    Contest.objects.filter(pk=contest.pk).update(questions_per_day=4, prior_weight=8, starts_on=DAYS[0],
                                                 ends_on=DAYS[2], top_n=2)
    contest.refresh_from_db()
    for name, plan in PLAN.items():
        for day, right in zip(DAYS, plan, strict=True):
            if right is not None:
                play(contest, world.members[name], day, right)
    return contest


def test_selection_takes_the_top_n_skipping_members_under_review(world, season):
    flag = flag_create(contest=season, member=world.members["member_a"], reason="答题过快")
    made = selection_make(contest=season)
    assert [(c.rank, c.member_id) for c in made] == [(1, world.members["sentinel"].pk), (2, world.members["member_c"].pk)]
    assert flag.status == FlagStatus.OPEN


def test_a_cleared_member_is_selected(world, season):
    flag = flag_create(contest=season, member=world.members["member_a"], reason="答题过快")
    flag_review(flag=flag, status=FlagStatus.CLEARED)
    made = selection_make(contest=season)
    assert made[0].member_id == world.members["member_a"].pk


def test_certificate_pdf_renders_its_chinese_text(world, season, tmp_path):
    cert = selection_make(contest=season)[0]
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(certificate_pdf(Certificate.objects.get(pk=cert.pk)))
    # The text is really there (a font with a Unicode map), not boxes:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "荣誉证书" in text and "党史学习小达人" in text and world.members["member_a"].name in text
    assert cert.serial in text
    issued = Certificate.objects.get(pk=cert.pk).issued_at
    assert cn_date(timezone.localtime(issued).date()) in "".join(text.split())  # 2026年3月1日, no leading zeros
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # Embedded + subset + Unicode map (a system CJK font), or the standard CID font as fallback.
    assert " yes yes yes " in fonts or "STSong" in fonts
    # And it draws: the PNG has dark ink in the title area.
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(tmp_path / "cert")], check=True)
    image = Image.open(tmp_path / "cert.png").convert("L")
    width, height = image.size
    title = image.crop((width // 3, int(height * 0.12), 2 * width // 3, int(height * 0.25)))
    assert sum(title.histogram()[:128]) > 100


def test_serial_verifies_publicly_and_an_unknown_one_says_so(world, season, client):
    cert = selection_make(contest=season)[0]
    page = client.get(f"/verify/{cert.serial}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "证书有效" in body and world.members["member_a"].name in body and world.branch_a.name in body
    assert "138" not in body  # no phone, nothing personal beyond name and org
    api = client.get(f"/api/v1/quiz/certificates/{cert.serial}")
    assert api.status_code == 200 and api.json()["name"] == world.members["member_a"].name
    assert set(api.json()) == {"serial", "valid", "name", "org", "title", "contest", "campaign", "rank", "issued_on"}
    unknown = client.get("/verify/2021001NOSUCHXX")
    assert unknown.status_code == 404 and "未找到" in unknown.content.decode()
    assert client.get("/api/v1/quiz/certificates/2021001NOSUCHXX").status_code == 404


def test_the_office_downloads_all_certificates_as_one_zip(world, season):
    selection_make(contest=season)
    response = world.client("office").get(f"/quiz/console/contests/{season.pk}/certificates.zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2 and names[0].startswith("001-")
    assert world.client("admin_a").get(f"/quiz/console/contests/{season.pk}/certificates.zip").status_code == 404


def test_selection_happens_once(world, season):
    from dangshi.errors import Conflict

    selection_make(contest=season)
    with pytest.raises(Conflict):
        selection_make(contest=season)


def test_without_a_system_cjk_font_the_standard_cid_font_is_used(world, season, tmp_path, monkeypatch):
    from dangshi.core import pdf as core_pdf

    monkeypatch.setattr(core_pdf, "CJK_FONT_CANDIDATES", ())
    monkeypatch.setattr(core_pdf.shutil, "which", lambda name: None)
    core_pdf.cjk_font.cache_clear()
    try:
        assert core_pdf.cjk_font() == "STSong-Light"
        cert = selection_make(contest=season)[0]
        pdf = tmp_path / "cid.pdf"
        pdf.write_bytes(certificate_pdf(Certificate.objects.get(pk=cert.pk)))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "荣誉证书" in text
    finally:
        core_pdf.cjk_font.cache_clear()
