"""The member's H5 pages: draft, submit, see the branch's comment, rework, report progress."""

from dangshi.pledges.models import Pledge, State
from tests.pledges import builders as b


def _form(rows):
    data = {}
    for n, (what, measure) in enumerate(rows):
        data.update({f"what_{n}": what, f"measure_{n}": measure, f"category_{n}": "service", f"due_on_{n}": "2021-12-31"})
    return data


def test_member_drafts_and_submits_on_the_h5(world):
    b.round_(world)
    client = world.client("member_a")
    assert "作出本期承诺" in client.get("/pledges/m/").content.decode()
    response = client.post("/pledges/m/edit/", _form([("走访困难党员", "每月 1 次"), ("志愿服务", "40 小时")]), follow=True)
    pledge = Pledge.objects.get(member=world.members["member_a"])
    assert pledge.items.count() == 2 and "提交支部审核" in response.content.decode()
    client.post(f"/pledges/m/{pledge.pk}/act/", {"action": "submit"})
    pledge.refresh_from_db()
    assert pledge.state == State.SUBMITTED


def test_too_few_items_are_refused_with_a_message(world):
    b.round_(world)
    response = world.client("member_a").post("/pledges/m/edit/", _form([("只有一项", "一次")]), follow=True)
    assert "每期承诺须有 2 至 5 项" in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_returned_commitment_shows_the_comment_and_is_editable_again(world):
    pledge = b.pledge_in(world, State.RETURNED)  # returned with the comment 请细化
    client = world.client("member_a")
    page = client.get(f"/pledges/m/{pledge.pk}/").content.decode()
    assert "请细化" in page and 'id="edit-pledge"' in page
    edit = client.get("/pledges/m/edit/").content.decode()
    assert "支部退回意见" in edit and "承诺事项1" in edit
    client.post("/pledges/m/edit/", _form([("细化后的事项", "每周 1 次"), ("第二项", "2 次"), ("第三项", "3 次")]))
    pledge.refresh_from_db()
    assert pledge.state == State.DRAFT and pledge.items.count() == 3 and pledge.review_comment == "请细化"


def test_an_approved_commitment_is_not_editable(world):
    pledge = b.pledge_in(world, State.APPROVED)
    client = world.client("member_a")
    assert 'id="edit-pledge"' not in client.get(f"/pledges/m/{pledge.pk}/").content.decode()
    response = client.post("/pledges/m/edit/", _form([("改", "改"), ("改二", "改")]), follow=True)
    assert "不能修改" in response.content.decode()
    assert list(pledge.items.values_list("what", flat=True)) == ["承诺事项1", "承诺事项2"]


def test_progress_with_evidence_moves_a_published_commitment_to_fulfilling(world):
    pledge = b.pledge_in(world, State.PUBLISHED)
    client = world.client("member_a")
    item = pledge.items.first()
    response = client.post(f"/pledges/m/{pledge.pk}/act/", {"action": "progress", "note": "走访了 3 户",
                                                             "evidence": "", "item": item.pk}, follow=True)
    assert "请提供佐证材料" in response.content.decode()
    client.post(f"/pledges/m/{pledge.pk}/act/", {"action": "progress", "note": "走访了 3 户", "evidence": "照片 3 张",
                                                 "item": item.pk, "done": "1"})
    pledge.refresh_from_db()
    item.refresh_from_db()
    assert pledge.state == State.FULFILLING and item.done and pledge.progress.get().evidence == "照片 3 张"


def test_another_member_cannot_open_my_commitment(world):
    pledge = b.pledge_in(world, State.DRAFT)
    assert world.client("member_c").get(f"/pledges/m/{pledge.pk}/").status_code == 404
    assert world.client("member_c").post(f"/pledges/m/{pledge.pk}/act/", {"action": "submit"}).status_code == 404
