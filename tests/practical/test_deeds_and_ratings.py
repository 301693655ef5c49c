"""Members' deeds confirmed by the branch and rolled up the tree; residents' ratings (one per
verified phone or account; the phone stored only as a digest) as a satisfaction figure."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangshi.errors import Conflict, Invalid, Refused
from dangshi.orgs.scope import scope_for
from dangshi.practical import selectors, services
from dangshi.practical.models import DeedStatus, Rating
from dangshi.practical.services_people import deed_decide, deed_log, rating_code_request, rating_submit
from tests.practical.helpers import in_progress, matter


def _deed(world, member="member_a", category="urgent", people=3):
    m = world.members[member]
    return deed_log(member=m, actor=m.user, category=category, title="疏通楼道下水道", beneficiaries=people,
                    happened_on=date(2021, 6, 1))


def test_branch_confirms_and_totals_roll_up_the_tree(world):
    d1, d2 = _deed(world), _deed(world, category="dispute", people=2)
    d3 = _deed(world, member="member_c", category="help", people=1)
    with pytest.raises(Refused):
        deed_decide(deed=d1, approve=True, actor=world.users["admin_b"], scope=scope_for(world.users["admin_b"]))
    deed_decide(deed=d1, approve=True, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    deed_decide(deed=d2, approve=False, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    deed_decide(deed=d3, approve=True, actor=world.users["office"], scope=scope_for(world.users["office"]))
    with pytest.raises(Conflict):
        deed_decide(deed=d1, approve=False, actor=world.users["admin_a"], scope=scope_for(world.users["admin_a"]))
    totals = selectors.deed_totals(root=world.root)
    assert {k: v["n"] for k, v in totals.items()} == {"help": 1, "urgent": 1, "dispute": 0}
    assert selectors.deed_totals(root=world.street)["urgent"] == {"label": "解决急难愁盼", "n": 1, "people": 3}
    assert selectors.deed_totals(root=world.street2)["urgent"]["n"] == 0
    facts = selectors.rollup_facts(start=date(2021, 1, 1), end=date(2021, 12, 31), root_path=world.root.path)
    assert {(f.org_path, f.metric): f.value for f in facts}[(world.branch_a.path, "practical.deeds.urgent")] == 1
    figures = selectors.member_figures(member=world.members["member_a"], start=date(2021, 1, 1),
                                       end=date(2021, 12, 31))
    assert figures["解决急难愁盼"] == 1 and figures["化解矛盾纠纷"] == 0


def test_only_the_member_logs_their_own_deed(world):
    with pytest.raises(Refused):
        deed_log(member=world.members["member_a"], actor=world.users["member_c"], category="help", title="x",
                 happened_on=date(2021, 6, 1))
    with pytest.raises(Invalid):
        deed_log(member=world.members["member_a"], actor=world.users["member_a"], category="help", title="x",
                 happened_on=date(2099, 1, 1))


def test_member_logs_a_deed_on_the_h5_page_and_the_branch_confirms_it(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    r = world.client("member_a").post(reverse("practical:member_deed_new"), {
        "category": "help", "title": "帮老人代办医保", "beneficiaries": "1", "happened_on": "2021-06-01",
        "evidence": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)})
    assert r.status_code == 302
    deed = world.members["member_a"].practical_deeds.get()
    page = world.client("admin_a").get(reverse("practical:console_deeds")).content.decode()
    assert "帮老人代办医保" in page
    assert "帮老人代办医保" not in world.client("admin_b").get(reverse("practical:console_deeds")).content.decode()
    world.client("admin_a").post(reverse("practical:console_deeds"), {"deed": deed.pk, "approve": "1"})
    deed.refresh_from_db()
    assert deed.status == DeedStatus.CONFIRMED


def _completed(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = in_progress(world, matter(world))
    return services.matter_complete(matter=m, actor=world.users["office"], scope=scope_for(world.users["office"]), note="完成",
                                    files=[SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 16)])


def test_one_rating_per_verified_phone_stored_as_digest(world, settings, tmp_path):
    m = _completed(world, settings, tmp_path)
    phone = "13700001111"
    with pytest.raises(Invalid):
        rating_submit(matter=m, score=5, phone=phone, code="000000")
    code = rating_code_request(matter=m, phone=phone)
    rating_submit(matter=m, score=5, phone=phone, code=code)
    code = rating_code_request(matter=m, phone=phone)
    with pytest.raises(Conflict):
        rating_submit(matter=m, score=1, phone=phone, code=code)
    code = rating_code_request(matter=m, phone="13700002222")
    rating_submit(matter=m, score=3, phone="13700002222", code=code)
    rating_submit(matter=m, score=4, user=world.users["outsider"])
    with pytest.raises(Conflict):
        rating_submit(matter=m, score=4, user=world.users["outsider"])
    assert selectors.satisfaction(matter=m) == {"n": 3, "avg": 4.0, "rate": 66.7}
    stored = list(Rating.objects.values_list("voter_digest", flat=True))
    assert all(len(d) == 64 and phone not in d for d in stored)


def test_rating_before_completion_is_refused(world):
    m = matter(world)
    with pytest.raises(Conflict):
        rating_code_request(matter=m, phone="13700001111")


def test_public_rating_form_works_without_login(world, settings, tmp_path, client):
    m = _completed(world, settings, tmp_path)
    url = reverse("practical:board_matter", args=[m.pk])
    assert client.get(url).status_code == 200
    code = rating_code_request(matter=m, phone="13700003333")  # as the SMS would deliver it
    client.post(url, {"phone": "13700003333", "code": code, "score": "5"})
    assert selectors.satisfaction(matter=m)["n"] == 1
    body = client.get(url).content.decode()
    assert "100.0%" in body and "13700003333" not in body
