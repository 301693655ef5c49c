"""iCalendar feeds a phone calendar subscribes to.

The per-org feed (/calendar/<org code>.ics) is public: subscription clients cannot log in,
so it carries no personal data (topic, time, place, venue kind, host org; no lecturer
or member names). The per-lecturer feed names a person's schedule, so its URL carries
the lecturer's unguessable token instead of an id."""

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

from dangshi.outreach.models import Activity, Session

PRODID = "-//dangshi//outreach//ZH"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _host() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "dangshi"


def _session_event(session: Session) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@{_host()}")
    event.add("summary", f"宣讲:{session.topic}")
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.starts_at + timedelta(hours=1, minutes=30))
    event.add("dtstamp", session.created_at)
    event.add("location", session.place)
    event.add("description", f"{session.venue_kind.name} · {session.org.name}")
    event.add("categories", ["宣讲"])
    return event


def _activity_event(activity: Activity) -> Event:
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{_host()}")
    event.add("summary", f"{activity.get_kind_display()}:{activity.title}")
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at or activity.starts_at + timedelta(hours=2))
    event.add("dtstamp", activity.created_at)
    if activity.place:
        event.add("location", activity.place)
    event.add("description", activity.org.name)
    event.add("categories", [activity.get_kind_display()])
    return event


def feed(name: str, sessions: list[Session], activities: list[Activity] = ()) -> bytes:
    cal = _calendar(name)
    for session in sessions:
        cal.add_component(_session_event(session))
    for activity in activities:
        cal.add_component(_activity_event(activity))
    return cal.to_ical()
