"""Migration 0003: the free-text matter_ref becomes a link to practical.Matter where it names a
matter's id; any other reference is kept in the request's history, not lost."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("hotline", "0002_default_services"), ("practical", "0001_initial")]
AFTER = [("hotline", "0003_request_matter")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_refs_naming_a_matter_become_links_and_the_others_are_noted():
    apps = _migrate(BEFORE)
    try:
        Org = apps.get_model("orgs", "Org")
        root = Org.objects.create(code="MIG", name="迁移测试区委", kind="district", path="zz01", depth=0)
        campaign = apps.get_model("orgs", "Campaign").objects.create(name="c", root=root, starts_on=date(2021, 1, 1),
                                                                     ends_on=date(2021, 12, 31))
        matter = apps.get_model("practical", "Matter").objects.create(
            campaign=campaign, org=root, title="路灯", planned_start=date(2021, 3, 1), planned_end=date(2021, 6, 1))
        service = apps.get_model("hotline", "ServiceType").objects.get(code="general")
        Request = apps.get_model("hotline", "Request")
        when = timezone.make_aware(datetime(2021, 3, 1, 9))
        for number, ref in (("M1", f"#{matter.pk}"), ("M2", str(matter.pk)), ("M3", "SS-2021-007"),
                            ("M4", str(matter.pk + 1000)), ("M5", "")):
            Request.objects.create(number=number, channel="form", intake_org=root, received_at=when, kind="help",
                                   content="x", service=service, matter_ref=ref)

        apps = _migrate(AFTER)
        Request = apps.get_model("hotline", "Request")
        links = dict(Request.objects.filter(number__startswith="M").values_list("number", "matter_id"))
        assert links == {"M1": matter.pk, "M2": matter.pk, "M3": None, "M4": None, "M5": None}
        notes = dict(apps.get_model("hotline", "Update").objects.filter(action="link")
                     .values_list("request__number", "note"))
        assert set(notes) == {"M3", "M4"} and "SS-2021-007" in notes["M3"]

        apps = _migrate(BEFORE)  # and back: the link returns to the text field
        refs = dict(apps.get_model("hotline", "Request").objects.filter(number__startswith="M")
                    .values_list("number", "matter_ref"))
        assert refs["M1"] == refs["M2"] == str(matter.pk) and refs["M3"] == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
