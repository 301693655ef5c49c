"""Phone numbers however typed are blanked in public output, and in citizen text outside the
handling unit (issue 17, finding 3)."""

import pytest
from django.urls import reverse

from dangshi.core.crypto import blank_personal_numbers, fold_phone, mask_phone

TYPED = ["+8613912345678", "008613912345678", "+86 139 1234 5678", "139-1234-5678", "139 1234 5678",
         "１３７１２３４５６７８", "＋８６ １３９－１２３４－５６７８", "139.1234.5678"]


@pytest.mark.parametrize("typed", TYPED)
def test_phone_written_with_prefix_separators_or_full_width_digits_is_blanked(typed):
    out = blank_personal_numbers(f"我的电话{typed},请回电")
    assert out == "我的电话***,请回电"


@pytest.mark.parametrize("text", ["2021年5月1日 14:30", "订单号 20210501123456789012", "价格 1.35 元", "座机 027-8888-6666",
                                  "第 100 号"])
def test_dates_prices_long_references_and_landlines_are_left_alone(text):
    assert blank_personal_numbers(text) == text


def test_id_numbers_in_text_are_blanked():
    assert blank_personal_numbers("身份证４２０１０６１９９００１０１１２３Ｘ") == "身份证***"


def test_masks_normalise_before_masking():
    assert fold_phone("+86 139-1234-5678") == "13912345678"
    assert mask_phone("＋８６１３９１２３４５６７８") == "139****5678"
    assert mask_phone("0086 139 1234 5678") == "139****5678"


@pytest.mark.parametrize("typed", TYPED[:6])
def test_open311_publishes_no_phone_typed_into_a_request_however_written(hot, client, typed):
    req = hot.signed(content=f"路面塌陷,电话{typed},请尽快处理")
    body = client.get(f"/open311/v2/requests/{req.number}.json").content.decode()
    digits = fold_phone(typed)
    assert "路面塌陷" in body and typed not in body and digits not in body and digits[-4:] not in body


def test_citizen_text_is_clear_for_the_handling_unit_and_blanked_for_the_office(hot):
    req = hot.signed(content="井盖丢失,电话 139-1234-5678")  # handled by 支部A, signed by admin_a
    url = reverse("hotline:console_request", kwargs={"request_id": req.pk})
    assert "139-1234-5678" in hot.w.client("admin_a").get(url).content.decode()
    office_page = hot.w.client("office").get(url).content.decode()
    assert "井盖丢失" in office_page and "139-1234-5678" not in office_page
    office_api = hot.w.client("office").get(f"/api/v1/hotline/requests/{req.pk}").json()
    assert office_api["content"] == "井盖丢失,电话 ***"
    queue = hot.w.client("office").get(reverse("hotline:console_queue")).content.decode()
    assert "139-1234-5678" not in queue
