import pytest
from django.db import DatabaseError, transaction

from dangshi.audit.models import AuditEvent
from dangshi.audit.services import log_event
from dangshi.orgs.roster import roster_import
from dangshi.orgs.scope import scope_for
from tests.orgs.roster_files import good_rows, roster_xlsx


def test_event_records_who_what_where(world, client):
    client.post("/accounts/login/", {"username": "admin_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="accounts.login.failed")
    assert event.ip == "10.1.2.3" and event.data == {"username": "admin_a"}


def test_personal_data_is_stripped_from_event_data(world):
    event = log_event("test.pii", actor=world.users["office"], obj=world.members["sentinel"],
                      data={"phone": "13912345678", "note": "call 13912345678 or 110101198808081234",
                            "nested": [{"id_number": "x"}]})
    assert event.data == {"phone": "[removed]", "note": "call [removed] or [removed]", "nested": [{"id_number": "[removed]"}]}
    assert event.org_path == world.branch_a.path  # filed under the member's org


def test_events_cannot_be_updated_in_the_database(world):
    event = log_event("test.immutable", actor=world.users["office"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    event.refresh_from_db()
    assert event.action == "test.immutable"


def test_roster_import_is_logged_without_personal_data(world):
    rows = good_rows("BRA", 2)
    roster_import(file=roster_xlsx(rows), scope=scope_for(world.users["office"]), actor=world.users["office"])
    event = AuditEvent.objects.get(action="orgs.roster.imported")
    assert event.actor == world.users["office"] and event.data["rows"] == 2
    dumped = str(list(AuditEvent.objects.values_list("data", flat=True)))
    for row in rows:
        assert row[4] not in dumped and row[5] not in dumped


def test_office_browses_and_filters_the_log_others_get_404(world, client):
    log_event("test.visible", actor=world.users["office"], org=world.branch_a)
    client.force_login(world.users["office"])
    response = client.get("/audit/console/?action=test.")
    assert response.status_code == 200 and "test.visible" in response.content.decode()
    for persona in ("admin_a", "member_a", "lecturer"):
        client.force_login(world.users[persona])
        assert client.get("/audit/console/").status_code == 404


def test_admin_offers_no_way_to_edit_or_delete_events(world, client):
    event = log_event("test.admin", actor=world.users["office"], org=world.root)
    client.force_login(world.users["office"])
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.admin"
