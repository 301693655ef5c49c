from dangshi.supervision import selectors
from dangshi.supervision.models import Review


def test_quarterly_review_is_drafted_from_member_figures_edited_and_visible_to_the_member(world, fake):
    member = world.members["member_a"]
    fake.figures = {member.pk: {"答题次数": 12, "学习积分": 86, "五个一完成": "4/5"}}
    figures, draft = selectors.review_draft(member=member, year=2021, quarter=2)
    assert figures == {"答题次数": 12, "学习积分": 86, "五个一完成": "4/5"}
    assert "答题次数12" in draft and "2021年第2季度" in draft
    secretary = world.client("admin_a")
    page = secretary.get(f"/supervision/console/reviews/{member.pk}/?year=2021&quarter=2").content.decode()
    assert "答题次数12" in page
    # a draft the member does not see yet
    secretary.post(f"/supervision/console/reviews/{member.pk}/", {"year": 2021, "quarter": 2, "text": "草稿"})
    assert "草稿" not in world.client("member_a").get("/supervision/m/reviews/").content.decode()
    secretary.post(f"/supervision/console/reviews/{member.pk}/",
                   {"year": 2021, "quarter": 2, "text": "学习认真,答题积极。", "publish": "1"})
    review = Review.objects.get(member=member)
    assert review.published and review.figures["学习积分"] == 86
    assert "学习认真,答题积极。" in world.client("member_a").get("/supervision/m/reviews/").content.decode()
    assert world.client("member_a").get("/api/v1/supervision/reviews/mine").json()[0]["text"] == "学习认真,答题积极。"
    assert world.client("member_c").get("/api/v1/supervision/reviews/mine").json() == []


def test_another_branch_secretary_cannot_review(world, fake):
    member = world.members["member_a"]
    response = world.client("admin_b").post(f"/supervision/console/reviews/{member.pk}/",
                                            {"year": 2021, "quarter": 2, "text": "越权"})
    assert response.status_code == 404 and not Review.objects.exists()
