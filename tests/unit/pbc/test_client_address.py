import pytest
from django.test import RequestFactory

from pbc.security.client_address import client_address

FORGED = "198.51.100.66"
CLIENT = "203.0.113.9"
PROXY = "10.0.0.2"


def request_from(remote_addr: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.PBC_TRUSTED_PROXY_COUNT = 0

    assert client_address(request_from(CLIENT, FORGED)) == CLIENT


def test_behind_one_proxy_the_address_it_appended_is_the_client_not_what_the_client_wrote(
    settings,
):
    settings.PBC_TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from(PROXY, f"{FORGED}, {CLIENT}")) == CLIENT


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.PBC_TRUSTED_PROXY_COUNT = 2

    assert client_address(request_from(PROXY, f"{FORGED}, {CLIENT}, 10.0.0.1")) == CLIENT


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "999.1.1.1"])
def test_a_missing_or_unreadable_header_falls_back_to_the_connection(settings, forwarded):
    settings.PBC_TRUSTED_PROXY_COUNT = 1

    assert client_address(request_from(PROXY, forwarded)) == PROXY


def test_the_header_can_be_another_one_the_proxy_sets(settings):
    settings.PBC_TRUSTED_PROXY_COUNT = 1
    settings.PBC_TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=CLIENT)

    assert client_address(request) == CLIENT
