"""The office configures the point rules: caps apply from the next award, every change is
audited with before/after, bad input names its field, and nobody else may change them."""

from datetime import date, timedelta

import pytest

from dangshi.audit.models import AuditEvent
from dangshi.errors import Invalid, Refused
from dangshi.learning.models import PointEntry, PointRule
from dangshi.learning.services import rules
from dangshi.learning.services.reading import points_award
from dangshi.orgs.models import Campaign, Role
from dangshi.orgs.scope import scope_for
from tests import factories as f
from tests.learning.conftest import T0


def _award(member, n, at=T0):
    return points_award(member=member, rule_code="read", cause_type="test.cause", cause_id=str(n), now=at)


def _form(rule, **changes):
    values = {"name": rule.name, "points": rule.points, "daily_cap": rule.daily_cap or "",
              "total_cap": rule.total_cap or "", "active": "on" if rule.active else ""}
    return {**values, **changes}


def test_a_cap_changed_by_the_office_applies_to_the_next_award(world, cols):
    member, rule = world.members["member_a"], PointRule.objects.get(code="read")
    assert rule.daily_cap == 5
    assert _award(member, 1) and _award(member, 2)
    office = world.client("office")
    response = office.post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, daily_cap="2"))
    assert response.status_code == 302
    assert _award(member, 3, T0 + timedelta(minutes=1)) is None  # 2 already today: the new cap is reached
    office.post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, daily_cap="3", points="4"))
    entry = _award(member, 4, T0 + timedelta(minutes=2))
    assert entry.points == 1  # 4 per read, but only 1 left under the cap of 3
    assert sum(PointEntry.objects.filter(member=member).values_list("points", flat=True)) == 3
    event = AuditEvent.objects.filter(action="learning.rule.updated").order_by("-id").first()
    assert event.data["before"]["daily_cap"] == 2 and event.data["after"]["daily_cap"] == 3
    assert event.data["before"]["points"] == 1 and event.data["after"]["points"] == 4
    assert event.data["changed"] == ["points", "daily_cap"]
    assert event.actor == world.users["office"]


def test_switching_a_rule_off_stops_awards_until_switched_on(world, cols):
    member, rule = world.members["member_a"], PointRule.objects.get(code="read")
    office = world.client("office")
    office.post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, active=""))
    assert _award(member, 1) is None
    office.post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, active="on"))
    assert _award(member, 2).points == 1


def test_the_office_creates_a_rule_and_the_change_is_audited(world, cols):
    response = world.client("office").post("/learning/console/point-rules/", {
        "code": "lesson", "name": "观看微党课", "points": "2", "daily_cap": "4", "total_cap": "", "active": "on"})
    assert response.status_code == 302
    rule = PointRule.objects.get(code="lesson")
    assert (rule.name, rule.points, rule.daily_cap, rule.total_cap, rule.active) == ("观看微党课", 2, 4, None, True)
    event = AuditEvent.objects.get(action="learning.rule.created")
    assert event.data["before"] is None and event.data["after"]["code"] == "lesson"
    page = world.client("office").get("/learning/console/point-rules/").content.decode()
    assert "观看微党课" in page and "尚无事件来源" in page  # no subscriber awards it yet
    assert "learning.read.finished" in page


@pytest.mark.parametrize(("changes", "field", "label"), [
    ({"points": "abc"}, "points", "每次积分"),
    ({"points": "0"}, "points", "每次积分"),
    ({"points": ""}, "points", "每次积分"),
    ({"daily_cap": "-1"}, "daily_cap", "每日上限"),
    ({"daily_cap": "10", "total_cap": "5"}, "total_cap", "累计上限"),
    ({"name": "  "}, "name", "名称"),
])
def test_bad_input_names_the_field_in_chinese(world, cols, changes, field, label):
    rule = PointRule.objects.get(code="read")
    before = (rule.name, rule.points, rule.daily_cap, rule.total_cap)
    response = world.client("office").post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, **changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert label in body and 'aria-invalid="true"' in body
    with pytest.raises(Invalid) as caught:
        rules.point_rule_update(scope=scope_for(world.users["office"]), actor=world.users["office"], rule=rule,
                                **rules.rule_fields_parse(_form(rule, **changes), with_code=False))
    assert caught.value.field == field and str(caught.value.message).startswith(label)
    rule.refresh_from_db()
    assert (rule.name, rule.points, rule.daily_cap, rule.total_cap) == before
    assert not AuditEvent.objects.filter(action="learning.rule.updated").exists()


def test_a_new_rule_needs_a_valid_unused_code(world, cols):
    office = scope_for(world.users["office"])
    for code in ("read", "Read", "x", "积分"):
        with pytest.raises(Invalid) as caught:
            rules.point_rule_create(scope=office, actor=world.users["office"], code=code, name="重复", points=1)
        assert caught.value.field == "code" and "规则代码" in str(caught.value.message)
    assert PointRule.objects.filter(name="重复").count() == 0


def test_org_admins_see_the_rules_read_only_and_cannot_change_them(world, cols):
    rule = PointRule.objects.get(code="read")
    admin = world.client("admin_a")
    page = admin.get("/learning/console/point-rules/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "阅读学习内容" in body and "仅供查看" in body
    assert f"/learning/console/point-rules/{rule.pk}/" not in body and 'name="code"' not in body
    assert admin.get(f"/learning/console/point-rules/{rule.pk}/").status_code == 404
    assert admin.post(f"/learning/console/point-rules/{rule.pk}/", _form(rule, daily_cap="99")).status_code == 404
    assert admin.post("/learning/console/point-rules/", {"code": "mine", "name": "自设", "points": "9"}).status_code == 404
    for persona in ("member_a", "outsider"):
        assert world.client(persona).get("/learning/console/point-rules/").status_code == 404
    with pytest.raises(Refused):
        rules.point_rule_update(scope=scope_for(world.users["admin_a"]), actor=world.users["admin_a"], rule=rule,
                                name=rule.name, points=9, daily_cap=None, total_cap=None, active=True)
    rule.refresh_from_db()
    assert (rule.points, rule.daily_cap) == (1, 5)
    assert not PointRule.objects.filter(code="mine").exists()


def test_an_office_below_the_campaign_root_is_refused(world, cols):
    Campaign.objects.create(name="党史学习教育", root=world.root, starts_on=date(2021, 2, 20), ends_on=date(2099, 12, 31))
    street_office = f.user("street_office")
    f.role(street_office, Role.OFFICE, world.street)
    scope = scope_for(street_office)
    assert scope.is_office and not rules.may_edit(scope)
    assert rules.may_edit(scope_for(world.users["office"]))
    rule = PointRule.objects.get(code="read")
    with pytest.raises(Refused):
        rules.point_rule_update(scope=scope, actor=street_office, rule=rule, name="改", points=9, daily_cap=None,
                                total_cap=None, active=True)
    assert world.client(None).get("/learning/console/point-rules/").status_code == 302


def test_the_admin_lists_rules_for_the_office_and_logs_a_superuser_change(world, cols, client):
    rule = PointRule.objects.get(code="read")
    client.force_login(world.users["office"])
    assert "阅读学习内容" in client.get("/admin/learning/pointrule/").content.decode()
    assert client.post(f"/admin/learning/pointrule/{rule.pk}/change/", _form(rule, daily_cap="7")).status_code == 403
    root = f.user("root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post(f"/admin/learning/pointrule/{rule.pk}/change/", _form(rule, daily_cap="7"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.daily_cap == 7
    event = AuditEvent.objects.get(action="admin.learning.pointrule.changed")
    assert event.data["before"]["daily_cap"] == 5 and event.data["after"]["daily_cap"] == 7
    assert client.get("/admin/learning/pointentry/").status_code == 200
    assert client.get("/admin/learning/pointentry/add/").status_code == 403  # the ledger is append-only


def test_the_admin_refuses_what_the_console_refuses(world, cols, client):
    """The admin form runs the console's checks: a cap below the daily cap is named and nothing saved."""
    rule = PointRule.objects.get(code="read")
    client.force_login(f.user("root2", is_superuser=True, is_staff=True))
    response = client.post(f"/admin/learning/pointrule/{rule.pk}/change/", _form(rule, daily_cap="5", total_cap="2"))
    assert response.status_code == 200  # the form again, with the error
    assert "不能小于每日上限" in response.content.decode()
    rule.refresh_from_db()
    assert rule.total_cap != 2
    assert not AuditEvent.objects.filter(action="admin.learning.pointrule.changed").exists()


def test_the_admin_sanitises_and_checks_an_item_like_the_console(world, cols):
    """The admin's item form runs the services' preparation: sanitised HTML, the date rules of
    党史上的今天; a recording is not a form field (it goes through its upload check)."""
    from django.contrib import admin as django_admin
    from django.forms.models import model_to_dict
    from django.test import RequestFactory

    from dangshi.learning.models import Item
    from tests.learning.conftest import publish

    item = publish(world, cols["today"], "遵义会议", "<p>正文</p>", month=1, day=15)
    root = f.user("root3", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/")
    request.user, request.scope = root, scope_for(root)
    form_class = django_admin.site._registry[Item].get_form(request, obj=item)
    assert "broadcast_audio" not in form_class.base_fields
    data = {k: v for k, v in model_to_dict(item, fields=form_class.base_fields).items() if v is not None}
    data.update(tags=[], body="<p>新</p><script>alert(1)</script>", month="", day="")
    form = form_class(data=data, instance=item)
    assert not form.is_valid() and "month" in form.errors  # 党史上的今天 needs its month and day
    data.update(month=1, day=15)
    form = form_class(data=data, instance=Item.objects.get(pk=item.pk))
    assert form.is_valid(), form.errors
    assert "<script>" not in form.instance.body and form.instance.plain.startswith("新")
