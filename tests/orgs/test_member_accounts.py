"""Every member on the roster can get in (issue 14): a pending account from the day they are
added, a one-time activation link from their branch, or an SMS code to the phone on record."""

import csv
import io
import re
import shutil
import subprocess

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from dangshi.accounts.models import ActivationLink, SignInCode
from dangshi.messaging.models import OutboundMessage
from dangshi.orgs.models import Member
from dangshi.orgs.roster import roster_import
from dangshi.orgs.scope import scope_for
from dangshi.orgs.services import member_accounts_create
from tests.orgs.roster_files import good_rows, roster_xlsx

NEW_PASSWORD = "Hongxing@2026"


@pytest.fixture
def accounts(world):
    members = [world.members["sentinel"], world.members["member_b"]]
    member_accounts_create(members=members)
    return members


def _sheet_links(client, org_code: str) -> dict[str, str]:
    response = client.post("/orgs/console/activation/", {"org": org_code, "format": "csv"})
    assert response.status_code == 200, response.content[:300]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "所在组织", "激活链接", "有效期至"]
    return {r[0]: r[2] for r in rows[1:]}


def test_a_roster_import_gives_every_new_member_a_pending_account(world):
    roster_import(file=roster_xlsx(good_rows("BRA", 4)), scope=scope_for(world.users["office"]),
                  actor=world.users["office"])
    imported = Member.objects.filter(name__startswith="导入党员").select_related("user")
    assert imported.count() == 4
    assert all(m.user and m.user.account_state == "pending" and not m.user.has_usable_password() for m in imported)
    assert len({m.user.password for m in imported}) == 4  # no shared default password


def test_a_new_member_gets_a_pending_account_with_no_password(world, accounts):
    user = world.members["sentinel"].user
    user.refresh_from_db()
    assert user.account_state == "pending"
    assert not user.has_usable_password() and user.is_active
    assert re.fullmatch(r"m[0-9a-f]{12}", user.username)  # generated; nobody needs to know it


def test_the_branch_sheet_lists_its_own_pending_members_only(world, accounts):
    links = _sheet_links(world.client("admin_a"), "BRA")
    assert list(links) == ["哨兵甲乙丙"]  # member_b is in 支部B
    assert re.fullmatch(r"https?://[^/]+/accounts/activate/[\w-]{20,}/", links["哨兵甲乙丙"])
    # stored hashed: the key in the link is nowhere in the table
    key = links["哨兵甲乙丙"].rstrip("/").rsplit("/", 1)[1]
    assert not ActivationLink.objects.filter(digest=key).exists()


def test_another_branch_cannot_issue_links_for_members_out_of_its_scope(world, accounts):
    response = world.client("admin_b").post("/orgs/console/activation/", {"org": "BRA", "format": "csv"})
    assert response.status_code == 404
    assert not ActivationLink.objects.exists()


def test_a_member_sets_a_password_through_the_link_and_is_signed_in(world, accounts):
    url = _sheet_links(world.client("admin_a"), "BRA")["哨兵甲乙丙"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    client = world.client(None)
    response = client.post(f"/{path}", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/m/").status_code == 200
    user = world.members["sentinel"].user
    user.refresh_from_db()
    assert user.account_state == "active" and user.check_password(NEW_PASSWORD)
    # single use: a second visit is refused
    again = world.client(None).post(f"/{path}", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert again.status_code == 422 and "激活链接无效或已过期" in again.content.decode()


def test_a_weak_password_is_refused_beside_its_field_and_the_link_stays_usable(world, accounts):
    url = _sheet_links(world.client("admin_a"), "BRA")["哨兵甲乙丙"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = world.client(None).post(path, {"password": "short", "password2": "short"})
    assert response.status_code == 422 and 'id="id_password_error"' in response.content.decode()
    assert ActivationLink.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1


def test_reissuing_the_sheet_voids_the_old_links(world, accounts):
    old = _sheet_links(world.client("admin_a"), "BRA")["哨兵甲乙丙"]
    _sheet_links(world.client("admin_a"), "BRA")
    path = "/" + old.split("://", 1)[1].split("/", 1)[1]
    response = world.client(None).post(path, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 422


def test_activation_over_the_api_returns_a_bearer_token(world, accounts):
    key = _sheet_links(world.client("admin_a"), "BRA")["哨兵甲乙丙"].rstrip("/").rsplit("/", 1)[1]
    response = world.client(None).post("/api/v1/auth/activate", {"token": key, "password": NEW_PASSWORD},
                                       content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    me = world.client(None).get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["member_id"] == world.members["sentinel"].pk


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_the_printed_sheets_qr_code_scans_to_a_link_that_activates(world, accounts, tmp_path):
    response = world.client("admin_a").post("/orgs/console/activation/", {"org": "BRA", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "sheet.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png")))
    [found] = zxingcpp.read_barcodes(page)
    path = "/" + found.text.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("/accounts/activate/")
    done = world.client(None).post(path, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302


def test_the_cli_writes_the_sheet_readable_by_the_operator_only(world, accounts, tmp_path):
    out = tmp_path / "sheet.pdf"
    call_command("activation-sheet", "BRA", "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_mode & 0o077 == 0
    assert ActivationLink.objects.count() == 1


# -- SMS ------------------------------------------------------------------------------
def _request(client, phone):
    return client.post("/api/v1/auth/sms/request", {"phone": phone}, content_type="application/json")


def _code(phone_masked_tail: str) -> str:
    message = OutboundMessage.objects.filter(to_masked__endswith=phone_masked_tail).latest("id")
    return re.search(r"\d{6}", message.body)[0]


def test_an_unknown_phone_gets_the_same_answer_as_a_known_one(world, accounts, django_capture_on_commit_callbacks):
    client = world.client(None)
    with django_capture_on_commit_callbacks(execute=True):
        known = _request(client, "139-1234-5678")
        unknown = _request(client, "13700001111")
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert OutboundMessage.objects.count() == 1 and SignInCode.objects.count() == 1


def test_sms_sign_in_end_to_end_and_the_code_is_single_use(world, accounts, settings,
                                                          django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = world.client(None)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, "13912345678")
    message = OutboundMessage.objects.get()
    assert message.status == "sent" and message.to_masked == "139****5678" and message.to_sealed == ""
    code = _code("5678")
    response = client.post("/api/v1/auth/sms/verify", {"phone": "13912345678", "code": code},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]
    again = client.post("/api/v1/auth/sms/verify", {"phone": "13912345678", "code": code},
                        content_type="application/json")
    assert again.status_code == 422


def test_five_wrong_codes_lock_the_code(world, accounts, django_capture_on_commit_callbacks):
    client = world.client(None)
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, "13912345678")
    code = _code("5678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = client.post("/api/v1/auth/sms/verify", {"phone": "13912345678", "code": wrong},
                        content_type="application/json")
        assert r.status_code == 422
    right = client.post("/api/v1/auth/sms/verify", {"phone": "13912345678", "code": code},
                        content_type="application/json")
    assert right.status_code == 422 and right.json()["field"] == "code"


def test_sms_page_signs_in_and_asks_for_a_first_password(world, accounts, django_capture_on_commit_callbacks):
    client = world.client(None)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/sign-in/sms/", {"phone": "13912345678", "action": "send"})
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.post("/sign-in/sms/", {"phone": "13912345678", "code": _code("5678"), "action": "verify"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/set/"
    done = client.post("/accounts/password/set/", {"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user = Member.objects.get(pk=world.members["sentinel"].pk).user
    assert user.check_password(NEW_PASSWORD) and user.account_state == "active"


def test_the_password_set_page_needs_a_fresh_code(world):
    response = world.client("member_a").get("/accounts/password/set/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_a_malformed_phone_is_named(world):
    response = _request(world.client(None), "139123")
    assert response.status_code == 422 and response.json()["field"] == "phone"


# -- the account API and the message log ---------------------------------------------------
def test_admins_in_scope_read_a_members_account_state(world, accounts):
    sentinel = world.members["sentinel"]
    response = world.client("admin_a").get(f"/api/v1/members/{sentinel.pk}/account")
    assert response.status_code == 200 and response.json()["state"] == "pending"
    for outsider in ("admin_b", "member_c", "outsider", "member_a"):
        assert world.client(outsider).get(f"/api/v1/members/{sentinel.pk}/account").status_code == 404


def test_the_message_log_is_the_offices_and_shows_masked_numbers(world, accounts,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request(world.client(None), "13912345678")
    page = world.client("office").get("/messaging/console/")
    body = page.content.decode()
    assert page.status_code == 200 and "139****5678" in body and "13912345678" not in body
    for outsider in ("admin_b", "member_a", "outsider"):
        assert world.client(outsider).get("/messaging/console/").status_code == 404


def test_a_branch_resets_a_password_with_a_new_link(world, accounts):
    sentinel = world.members["sentinel"]
    page = world.client("admin_a").post(f"/orgs/console/members/{sentinel.pk}/")
    link = re.search(r"<code>(https?://\S+?)</code>", page.content.decode())[1]
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert world.client(None).post(path, {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    assert world.client("admin_b").post(f"/orgs/console/members/{sentinel.pk}/").status_code == 404
