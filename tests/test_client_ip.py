"""core.client_ip: X-Forwarded-For is believed only from trusted proxies (address or CIDR)."""

from django.test import RequestFactory, override_settings

import pytest

from core.client_ip import client_ip

rf = RequestFactory()


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_spoofed_header_from_an_untrusted_address_is_ignored():
    # gunicorn reached directly, not through the proxy: the forged header changes nothing.
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_trusted_proxy_the_appended_address_is_the_client():
    assert client_ip(request("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_forged_value_left_of_the_proxys_entry_is_never_reached():
    assert client_ip(request("127.0.0.1", "6.6.6.6, 198.51.100.1")) == "198.51.100.1"


@override_settings(TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1")
def test_chained_proxies_by_cidr():
    # client -> CDN edge (untrusted, so it is the client as far as we can prove) -> 10.1.2.3 -> nginx
    assert client_ip(request("127.0.0.1", "198.51.100.1, 10.1.2.3")) == "198.51.100.1"
    assert client_ip(request("127.0.0.1", "10.9.9.9, 10.1.2.3")) == "10.9.9.9"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_garbage_in_the_header_falls_back_to_the_proxy_peer():
    assert client_ip(request("127.0.0.1", "not-an-ip")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1", "")) == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["::1", "2001:db8::/32"])
def test_ipv6_proxies_and_clients():
    assert client_ip(request("::1", "2001:db8::5, 2a00:1450::1")) == "2a00:1450::1"


@override_settings(TRUSTED_PROXIES=["not a network"])
def test_a_malformed_setting_fails_loudly():
    with pytest.raises(ValueError):
        client_ip(request("127.0.0.1", "198.51.100.1"))
