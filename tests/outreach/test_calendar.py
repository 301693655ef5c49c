from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar

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
