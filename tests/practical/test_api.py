"""/api/v1/practical/: list, detail, claim and progress, scoped; outsiders refused."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangshi.orgs.models import MemberCategory
from dangshi.practical.models import Claim, State
from tests import factories as f
from tests.practical.helpers import in_progress, matter

API = "/api/v1/practical/matters/"


def test_list_is_scoped_to_the_admins_subtree(world):
    a = matter(world, org=world.branch_a, title="甲支部实事")
    b = matter(world, org=world.branch_b, title="乙支部实事")
    ids = {m["id"] for m in world.client("admin_a").get(API).json()["items"]}
    assert a.pk in ids and b.pk not in ids
    office = world.client("office").get(API + "?tier=general").json()
    assert {a.pk, b.pk} <= {m["id"] for m in office["items"]}
    assert all(m["health"] for m in office["items"])


def test_member_sees_published_matters_of_own_org_and_above_only(world):
    own = matter(world, org=world.branch_a, title="本支部")
    district = matter(world, org=world.root, title="区级")
    other = matter(world, org=world.branch_b, title="兄弟支部")
    draft = matter(world, org=world.branch_a, title="草稿", publish=False)
    ids = {m["id"] for m in world.client("member_a").get(API).json()["items"]}
    assert ids == {own.pk, district.pk}
    assert world.client("member_a").get(f"{API}{other.pk}").status_code == 404
    assert world.client("member_a").get(f"{API}{draft.pk}").status_code == 404


def test_detail_has_milestones_and_satisfaction(world):
    m = matter(world)
    body = world.client("admin_a").get(f"{API}{m.pk}").json()
    assert body["title"] == m.title and body["milestones"] == [] and body["satisfaction"]["n"] == 0
    assert world.client("admin_b").get(f"{API}{m.pk}").status_code == 404


def test_claim_through_the_api(world):
    m = matter(world, org=world.branch_a)
    leader = f.member(world.branch_a, "领导", user=f.user("leader_api"), category=MemberCategory.LEADER)
    client = world.client(None)
    client.force_login(leader.user)
    response = client.post(f"{API}{m.pk}/claim", {}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "lead"
    again = client.post(f"{API}{m.pk}/claim", {}, content_type="application/json")
    assert again.status_code == 409
    # An ordinary member may not lead: 403 with a Chinese message.
    refused = world.client("member_a").post(f"{API}{m.pk}/claim", {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "refused"
    joined = world.client("member_a").post(f"{API}{m.pk}/claim", {"joint": True}, content_type="application/json")
    assert joined.status_code == 201


def test_outsiders_cannot_claim_or_report(world):
    m = matter(world, org=world.branch_a)
    for persona in ("member_c", "admin_b", "outsider"):
        assert world.client(persona).post(f"{API}{m.pk}/claim", {}, content_type="application/json").status_code == 404
        r = world.client(persona).post(f"{API}{m.pk}/progress", {"percent": 50, "note": "x"})
        assert r.status_code == 404
    assert world.client(None).post(f"{API}{m.pk}/claim", {}, content_type="application/json").status_code == 401
    assert not Claim.objects.filter(matter=m).exists()


def test_progress_with_evidence_through_the_api(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = in_progress(world, matter(world))
    photo = SimpleUploadedFile("site.jpg", b"\xff\xd8\xffjpeg", content_type="image/jpeg")
    r = world.client("admin_a").post(f"{API}{m.pk}/progress", {"percent": 45, "note": "基础施工完成", "files": [photo]})
    assert r.status_code == 201, r.content
    m.refresh_from_db()
    assert (m.progress, m.state) == (45, State.IN_PROGRESS)
    assert m.reports.get().evidence.count() == 1
    bad = world.client("admin_a").post(f"{API}{m.pk}/progress", {"percent": 30, "note": "回退"})
    assert bad.status_code == 422 and bad.json()["field"] == "percent"
