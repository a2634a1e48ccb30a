"""core.client.client_address: the client's address, behind trusted proxies or not."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.client import client_address, request_is_from_trusted_proxy


def request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert not request_is_from_trusted_proxy(request("203.0.113.7"))


def test_behind_a_trusted_proxy_the_client_is_the_last_forwarded_entry(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.5", "198.51.100.1")) == "198.51.100.1"
    assert request_is_from_trusted_proxy(request("10.0.0.5"))


def test_entries_a_client_made_up_are_ignored(settings):
    """The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.5", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    forwarded = "1.2.3.4, 198.51.100.1, 192.0.2.10, 10.1.1.1"
    assert client_address(request("10.0.0.5", forwarded)) == "198.51.100.1"


def test_a_request_not_from_a_trusted_proxy_keeps_its_own_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, "10.0.0.5"),  # no header: the proxy itself
        ("", "10.0.0.5"),
        ("10.9.9.9", "10.9.9.9"),  # only proxies: the left-most one we trust
        ("not-an-address", "10.0.0.5"),  # garbage is never the answer
        ("2001:db8::1", "2001:db8::1"),
        (" 198.51.100.1 ,", "198.51.100.1"),
    ],
)
def test_odd_headers(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.5", forwarded)) == expected


def test_a_bad_network_in_the_setting_stops_the_start(monkeypatch):
    import importlib

    import dashboard.settings

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8,not-a-network")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        importlib.reload(dashboard.settings)
    monkeypatch.delenv("TRUSTED_PROXIES")
    importlib.reload(dashboard.settings)
