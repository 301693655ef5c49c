"""The client address behind a reverse proxy (issue 17, finding 1)."""

from django.test import RequestFactory

from dangshi.core.context import client_ip


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forged_forwarded_for_is_ignored_when_no_proxy_is_trusted(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(_request(forwarded="1.2.3.4")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 1
    assert client_ip(_request(forwarded="203.0.113.7")) == "203.0.113.7"


def test_client_cannot_choose_its_address_by_sending_the_header_itself(settings):
    # The client wrote "1.2.3.4"; nginx appended the address it saw.
    settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 1
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_two_trusted_proxies_count_two_from_the_right(settings):
    settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 2
    assert client_ip(_request(forwarded="1.2.3.4, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"


def test_too_few_hops_or_garbage_fall_back_to_the_socket_address(settings):
    settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 2
    assert client_ip(_request(forwarded="203.0.113.7")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="<script>")) == "10.0.0.1"
