import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from icalendar import Calendar

from dangshi.orgs.scope import scope_for
from dangshi.outreach import services
from tests.conftest import SENTINEL_NAME
from tests.outreach import helpers as h


def test_org_ics_feed_parses_and_lists_upcoming_sessions(world):
    w = world
    lecturer = h.lecturer(w, name=SENTINEL_NAME)
    soon = timezone.now() + timedelta(days=3)
    h.session(w, persona="office", org=w.community, covered=[w.branch_a], when=soon, topic="学党史 悟思想", lecturers=[lecturer])
    h.session(w, persona="office", org=w.branch_c, when=soon, topic="别家的宣讲")
    h.activity(w, when=soon + timedelta(days=1), title="读书班第三期")
    response = w.client(None).get("/calendar/BRA.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "宣讲:学党史 悟思想" in summaries and "夜学:读书班第三期" in summaries
    assert not any("别家" in s for s in summaries)
    starts = [e.decoded("DTSTART") for e in events]
    assert all(abs((s - soon).total_seconds()) < 2 * 86400 for s in starts)
    body = response.content.decode()
    assert SENTINEL_NAME not in body  # public: no lecturer or member names


def test_unknown_org_feed_is_404(world):
    assert world.client(None).get("/calendar/NOPE.ics").status_code == 404


def test_lecturer_feed_is_reached_by_its_token_only(world):
    w = world
    lecturer = h.lecturer(w)
    h.session(w, when=timezone.now() + timedelta(days=1), topic="我讲的课", lecturers=[lecturer])
    h.session(w, when=timezone.now() + timedelta(days=1), topic="别人讲的课")
    response = w.client(None).get(f"/calendar/lecturer/{lecturer.calendar_token}.ics")
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["宣讲:我讲的课"]
    assert w.client(None).get("/calendar/lecturer/guessed-token.ics").status_code == 404


def _links(body: str) -> tuple[str, str]:
    """The page's webcal:// link and its plain address, which must name the same feed."""
    webcal = re.search(r'href="(webcal://[^"]+)"', body)
    url = re.search(r'value="([^"]+)" id="subscribe-url"', body)
    assert webcal and url, "no subscription link on the page"
    plain = url.group(1)
    assert webcal.group(1) == "webcal://" + plain.split("://", 1)[1]
    return webcal.group(1), plain


def _feed_summaries(w, url: str) -> list[str]:
    """Fetch the linked feed as a calendar app would (no login) and parse it."""
    response = w.client(None).get(urlsplit(url).path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


def test_org_calendar_page_shows_the_subscription_link_and_its_feed_parses(world):
    w = world
    h.session(w, when=timezone.now() + timedelta(days=2), topic="学党史 悟思想")
    body = w.client("admin_a").get("/outreach/console/calendar/?org=BRA").content.decode()
    assert "学党史 悟思想" in body
    webcal, url = _links(body)
    assert webcal == "webcal://testserver/calendar/BRA.ics"
    assert _feed_summaries(w, url) == ["宣讲:学党史 悟思想"]
    assert w.client("admin_b").get("/outreach/console/calendar/?org=BRA").status_code == 404
    assert w.client("member_a").get("/outreach/console/calendar/").status_code == 404


def test_lecturer_page_shows_the_personal_feed_link_and_its_feed_parses(world):
    w = world
    lecturer = h.lecturer(w, appoint=True)
    h.session(w, when=timezone.now() + timedelta(days=1), topic="我讲的课", lecturers=[lecturer])
    h.session(w, when=timezone.now() + timedelta(days=1), topic="别人讲的课")
    body = w.client("admin_a").get(f"/outreach/console/lecturers/{lecturer.pk}/").content.decode()
    webcal, url = _links(body)
    assert lecturer.calendar_token in webcal and "我讲的课" in body
    assert _feed_summaries(w, url) == ["宣讲:我讲的课"]
    assert f"/outreach/console/lecturers/{lecturer.pk}/" in w.client("admin_a").get("/outreach/console/lecturers/").content.decode()
    for outsider in ("admin_b", "member_a", "outsider"):
        assert w.client(outsider).get(f"/outreach/console/lecturers/{lecturer.pk}/").status_code == 404


def test_retired_lecturer_page_has_no_feed_link(world):
    w = world
    lecturer = h.lecturer(w)
    services.lecturer_retire(scope=scope_for(w.users["admin_a"]), actor=w.users["admin_a"], lecturer=lecturer)
    body = w.client("admin_a").get(f"/outreach/console/lecturers/{lecturer.pk}/").content.decode()
    assert lecturer.calendar_token not in body and "webcal://" not in body


def test_lecturers_own_h5_page_shows_their_feed_link_and_it_parses(world):
    w = world
    lecturer = h.lecturer(w)
    lecturer.user = w.users["lecturer"]
    lecturer.save()
    h.session(w, when=timezone.now() + timedelta(days=3), topic="社区宣讲", lecturers=[lecturer])
    body = w.client("lecturer").get("/outreach/h5/lecturer/").content.decode()
    webcal, url = _links(body)
    assert lecturer.calendar_token in webcal and "社区宣讲" in body
    assert _feed_summaries(w, url) == ["宣讲:社区宣讲"]


def test_a_member_who_lectures_finds_the_page_and_others_do_not(world):
    w = world
    lecturer = h.lecturer(w, name="党员宣讲员")
    lecturer.member = w.members["member_a"]
    lecturer.save()
    assert lecturer.calendar_token in w.client("member_a").get("/outreach/h5/lecturer/").content.decode()
    assert w.client("member_c").get("/outreach/h5/lecturer/").status_code == 404
    assert w.client("outsider").get("/outreach/h5/lecturer/").status_code == 404
    staff = w.client("admin_b").get("/outreach/h5/lecturer/").content.decode()  # staff without a lecturer record
    assert "尚未关联宣讲员档案" in staff and lecturer.calendar_token not in staff
