"""The office picks the week's highlights from activity reports (sessions, activities, practical
matters' progress, members' deeds), orders them, and the briefing prints them with their photos."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from dangshi.audit.models import AuditEvent
from dangshi.orgs.models import Role
from dangshi.orgs.scope import scope_for
from dangshi.practical import services as practical
from dangshi.practical.services_people import deed_decide, deed_log
from dangshi.reports import candidates, periods, services
from dangshi.reports.models import Highlight, HighlightPhoto
from tests import factories as f
from tests.outreach.helpers import activity, at, session
from tests.practical.helpers import in_progress, matter
from tests.reports.conftest import WEEK

PAGE = "/reports/console/highlights/"


def png(color, size=(800, 600), name="photo.png"):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def reports(world, media):
    """W23's activity reports: a session in 支部A with two photos (and a PDF), a session in 支部C
    without, an activity in 支部B, progress on 支部A's matter with a photo, a confirmed deed of
    支部C's member with a photo, a pending deed; and a session of the week before."""
    office = world.users["office"]
    sa = session(world, when=at(2021, 6, 8), topic="百年党史进社区", audience_offline=80, files=[
        ("photo", png("red", name="现场1.png")), ("photo", png("blue", (600, 900), name="现场2.jpg")),
        ("attachment", SimpleUploadedFile("讲稿.pdf", b"%PDF-1.4 not an image"))])
    sc = session(world, persona="office", org=world.branch_c, when=at(2021, 6, 9), topic="机关党支部微宣讲")
    act = activity(world, persona="admin_b", org=world.branch_b, when=at(2021, 6, 10), title="周四夜学:红船精神")
    m = in_progress(world, matter(world, title="老旧小区加装电梯"), today=date(2021, 4, 1))
    progress = practical.progress_report(matter=m, percent=60, note="完成3台电梯井道施工。", actor=office,
                                         scope=scope_for(office), files=[png("green", name="施工.png")], today=date(2021, 6, 9))
    member_c = world.members["member_c"]
    deed = deed_log(member=member_c, actor=member_c.user, category="help", title="帮独居老人代办医保",
                    happened_on=date(2021, 6, 10), evidence=png("yellow", name="代办.png"), today=date(2021, 6, 12))
    deed_decide(deed=deed, approve=True, actor=office, scope=scope_for(office))
    deed_log(member=world.members["member_a"], actor=world.users["member_a"], category="help", title="未确认的事迹",
             happened_on=date(2021, 6, 10), today=date(2021, 6, 12))
    before = session(world, when=at(2021, 6, 1), topic="上周的宣讲")
    return {"sa": sa, "sc": sc, "activity": act, "progress": progress, "deed": deed, "before": before}


def _keys(found):
    return [(c.source, c.source_id) for c in found]


def test_candidates_are_the_periods_reports_in_reach_with_photos_first(world, reports):
    found = candidates.candidate_list(scope=scope_for(world.users["office"]), org=world.root, period=periods.week(WEEK))
    keys = _keys(found)
    assert set(keys) == {("outreach.session", reports["sa"].pk), ("outreach.session", reports["sc"].pk),
                         ("outreach.activity", reports["activity"].pk), ("practical.progress", reports["progress"].pk),
                         ("practical.deed", reports["deed"].pk)}
    assert [bool(c.photos) for c in found] == [True, True, True, False, False]
    by_key = {(c.source, c.source_id): c for c in found}
    assert len(by_key[("outreach.session", reports["sa"].pk)].photos) == 2  # the PDF is not a photo
    assert by_key[("outreach.session", reports["sa"].pk)].text == (
        "6月8日,测试社区第一党支部在党群服务中心开展宣讲“百年党史进社区”,参与现场80人次。")
    # A street's office sees its own subtree only.
    street_office = f.user("street_office")
    f.role(street_office, Role.OFFICE, world.street2)
    found = candidates.candidate_list(scope=scope_for(street_office), org=world.street2, period=periods.week(WEEK))
    assert set(_keys(found)) == {("outreach.session", reports["sc"].pk), ("practical.deed", reports["deed"].pk)}


def test_office_picks_orders_and_unpicks_on_the_page_and_every_step_is_audited(world, reports):
    client = world.client("office")
    page = client.get(f"{PAGE}?period={WEEK}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "百年党史进社区" in body and "帮独居老人代办医保" in body and "上周的宣讲" not in body
    assert "本期尚未选编亮点" in body
    for source, obj in (("practical.deed", reports["deed"]), ("outreach.session", reports["sa"]),
                        ("practical.progress", reports["progress"])):
        r = client.post(PAGE, {"action": "pick", "source": source, "source_id": obj.pk, "org": "ROOT", "period": WEEK})
        assert r.status_code == 302
    picked = list(Highlight.objects.order_by("position"))
    assert [h.title for h in picked] == ["帮独居老人代办医保", "百年党史进社区", "老旧小区加装电梯"]
    assert [h.photos.count() for h in picked] == [1, 2, 1]
    client.post(PAGE, {"action": "up", "highlight": picked[1].pk, "org": "ROOT", "period": WEEK})
    client.post(PAGE, {"action": "down", "highlight": picked[1].pk, "org": "ROOT", "period": WEEK})
    client.post(PAGE, {"action": "down", "highlight": picked[1].pk, "org": "ROOT", "period": WEEK})
    order = [h.title for h in services.selectors.highlights(org=world.root, period=periods.week(WEEK))]
    assert order == ["帮独居老人代办医保", "老旧小区加装电梯", "百年党史进社区"]
    client.post(PAGE, {"action": "unpick", "highlight": picked[0].pk, "org": "ROOT", "period": WEEK})
    assert not Highlight.objects.filter(pk=picked[0].pk).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="reports.highlight.").values_list("action", flat=True))
    assert sorted(actions) == sorted(["reports.highlight.picked"] * 3 + ["reports.highlight.moved"] * 3
                                     + ["reports.highlight.unpicked"])
    assert AuditEvent.objects.filter(action="reports.highlight.picked", actor=world.users["office"]).count() == 3


def test_picking_the_same_report_twice_is_a_conflict(world, reports):
    scope = scope_for(world.users["office"])
    services.highlight_pick(scope=scope, source="outreach.activity", source_id=reports["activity"].pk)
    client = world.client("office")
    r = client.post(PAGE, {"action": "pick", "source": "outreach.activity", "source_id": reports["activity"].pk,
                           "org": "ROOT", "period": WEEK}, follow=True)
    assert "该报告已选入简报亮点" in r.content.decode()
    assert Highlight.objects.count() == 1


def _images(doc) -> list[Image.Image]:
    out = []
    for shape in doc.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        out.append(Image.open(io.BytesIO(doc.part.related_parts[rid].blob)))
    return out


def test_briefing_prints_the_picked_highlights_in_order_with_their_photos(world, fake, reports):
    scope = scope_for(world.users["office"])
    services.highlight_pick(scope=scope, source="outreach.session", source_id=reports["sa"].pk)
    services.highlight_pick(scope=scope, source="practical.deed", source_id=reports["deed"].pk)
    briefing = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    with briefing.file.open("rb") as fh:
        doc = Document(io.BytesIO(fh.read()))
    text = [p.text for p in doc.paragraphs]
    first = text.index("（一）百年党史进社区")
    second = text.index("（二）帮独居老人代办医保")
    assert first < second
    assert "本期暂无办公室选编的工作亮点。" not in text
    images = _images(doc)
    # Two photos of the session, one of the deed, then the trend and the ranking charts.
    assert len(images) == 5
    assert [(img.format, img.size) for img in images[:3]] == [("JPEG", (800, 600)), ("JPEG", (600, 900)),
                                                              ("JPEG", (800, 600))]
    assert images[0].getpixel((400, 300))[0] > 200 and images[1].getpixel((300, 450))[2] > 200  # red, blue
    assert all(img.format == "PNG" for img in images[3:])


def test_briefing_with_nothing_picked_says_so(world, fake, reports):
    briefing = services.briefing_generate(org=world.root, period=periods.week(WEEK))
    with briefing.file.open("rb") as fh:
        doc = Document(io.BytesIO(fh.read()))
    text = [p.text for p in doc.paragraphs]
    assert "本期暂无办公室选编的工作亮点。" in text
    assert not any(t.startswith("（一）") for t in text)
    assert len(doc.inline_shapes) == 2  # the charts only


def test_a_streets_briefing_prints_only_its_subtrees_picks(world, fake, reports):
    scope = scope_for(world.users["office"])
    services.highlight_pick(scope=scope, source="outreach.session", source_id=reports["sa"].pk)  # 支部A (ST1)
    services.highlight_pick(scope=scope, source="practical.deed", source_id=reports["deed"].pk)  # 支部C (ST2)
    briefing = services.briefing_generate(org=world.street2, period=periods.week(WEEK))
    with briefing.file.open("rb") as fh:
        text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
    assert "帮独居老人代办医保" in text and "百年党史进社区" not in text


def test_unpicking_removes_the_copied_photos(world, reports, django_capture_on_commit_callbacks):
    scope = scope_for(world.users["office"])
    h = services.highlight_pick(scope=scope, source="outreach.session", source_id=reports["sa"].pk)
    names = [p.image.name for p in h.photos.all()]
    storage = HighlightPhoto._meta.get_field("image").storage
    assert names and all(storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.highlight_unpick(scope=scope, highlight_id=h.pk)
    assert not any(storage.exists(n) for n in names)


def test_outsiders_neither_see_nor_pick_nor_view_photos(world, reports):
    sa = reports["sa"]
    street_office = f.user("street2_office")
    f.role(street_office, Role.OFFICE, world.street2)
    photo = f"{PAGE}candidates/outreach.session/{sa.pk}/photo/1/"
    assert world.client("office").get(photo).status_code == 200
    assert world.client("office").get(photo)["Content-Type"] == "image/png"
    for client in (world.client("admin_a"), world.client("admin_b"), world.client("outsider"), world.client("member_a")):
        assert client.get(PAGE).status_code == 404
        assert client.post(PAGE, {"action": "pick", "source": "outreach.session", "source_id": sa.pk}).status_code == 404
        assert client.get(photo).status_code == 404
    street = world.client(None)
    street.force_login(street_office)
    assert street.get(f"{PAGE}?org=ROOT").status_code == 404
    r = street.post(PAGE, {"action": "pick", "source": "outreach.session", "source_id": sa.pk, "org": "ST2",
                           "period": WEEK})
    assert r.status_code == 404
    assert street.get(photo).status_code == 404
    assert not Highlight.objects.exists()
    # A highlight picked by the district office is not the street office's to move or remove.
    h = services.highlight_pick(scope=scope_for(world.users["office"]), source="outreach.session", source_id=sa.pk)
    assert street.post(PAGE, {"action": "unpick", "highlight": h.pk, "org": "ST2"}).status_code == 404
    assert street.get(f"{PAGE}{h.pk}/photo/1/").status_code == 404
    assert world.client("office").get(f"{PAGE}{h.pk}/photo/1/")["Content-Type"] == "image/jpeg"
    assert Highlight.objects.filter(pk=h.pk).exists()
