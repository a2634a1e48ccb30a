"""An account's OpenID provider is fetched by the server (discovery, JWKS, token), so its
addresses must be public like a webhook's (core.addresses): when set up, when a sign-in
starts, and for the endpoints the discovery document names. SSO_ALLOW_HTTP_ISSUERS
(development and tests) allows local ones."""

import ipaddress
import socket

import pytest
from authlib.integrations.django_client import DjangoOAuth2App
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts import sso
from accounts.models import SingleSignOn, User
from core.errors import InvalidValue

PUBLIC = "93.184.215.14"


@pytest.fixture
def names(monkeypatch):
    """Name resolution from a table (no DNS in the tests)."""
    table = {}

    def getaddrinfo(host, port, *args, **kwargs):
        try:
            address = str(ipaddress.ip_address(host))  # a literal address: itself
        except ValueError:
            if host not in table:
                raise socket.gaierror(host) from None
            address = table[host]
        return [(2, 1, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.fixture(autouse=True)
def production(settings):
    settings.SSO_ALLOW_HTTP_ISSUERS = False


def configure(account, issuer):
    return sso.sso_configure(
        account=account, issuer=issuer, client_id="x", client_secret="y", domains="example.com"
    )


@pytest.mark.parametrize(
    ("issuer", "address"),
    [
        ("https://127.0.0.1/o", None),
        ("https://10.1.2.3", None),
        ("https://[::1]", None),
        ("https://metadata.example.com", "169.254.169.254"),
        ("https://idp.internal.example.com", "192.168.1.5"),
    ],
)
def test_a_private_issuer_is_refused_when_set_up(account, names, issuer, address):
    if address:
        names[issuer.removeprefix("https://")] = address
    with pytest.raises(InvalidValue, match="is not a public address") as refused:
        configure(account, issuer)
    assert refused.value.field == "issuer"
    assert not SingleSignOn.objects.filter(account=account).exists()


def test_a_public_issuer_is_taken(account, names):
    names["idp.example.com"] = PUBLIC
    assert configure(account, "https://idp.example.com").issuer == "https://idp.example.com"


def test_local_issuers_are_allowed_in_development(account, settings):
    settings.SSO_ALLOW_HTTP_ISSUERS = True
    assert configure(account, "http://127.0.0.1:8000/o").issuer == "http://127.0.0.1:8000/o"


def request_with_session():
    request = RequestFactory().get("/accounts/login/sso/callback/?code=c&state=s")
    request.session = SessionStore()
    return request


def test_an_issuer_now_pointing_inside_is_refused_at_sign_in(account, names, monkeypatch):
    names["idp.example.com"] = PUBLIC
    config = configure(account, "https://idp.example.com")
    names["idp.example.com"] = "10.0.0.7"  # the name re-pointed since
    monkeypatch.setattr(DjangoOAuth2App, "load_server_metadata", lambda self: pytest.fail())
    with pytest.raises(sso.SignInRefused, match="not at a public address"):
        sso.sso_begin(request_with_session(), config, email="a@example.com", redirect_uri="/cb")


@pytest.mark.parametrize("endpoint", ["jwks_uri", "token_endpoint"])
def test_discovery_naming_a_private_endpoint_is_refused_before_it_is_fetched(
    account, names, monkeypatch, endpoint
):
    names["idp.example.com"] = PUBLIC
    names["inside.example.com"] = "169.254.169.254"
    configure(account, "https://idp.example.com")
    metadata = {
        "issuer": "https://idp.example.com",
        "token_endpoint": "https://idp.example.com/token",
        "jwks_uri": "https://idp.example.com/jwks",
        endpoint: "https://inside.example.com/x",
    }
    monkeypatch.setattr(DjangoOAuth2App, "load_server_metadata", lambda self: metadata)
    fetched = []
    monkeypatch.setattr(
        DjangoOAuth2App, "authorize_access_token", lambda *a, **k: fetched.append(1)
    )
    request = request_with_session()
    request.session[sso.PENDING] = {"account": account.pk, "next": ""}
    with pytest.raises(sso.SignInRefused, match="did not sign you in"):
        sso.sso_complete(request)
    assert fetched == []
    assert not User.objects.filter(email__endswith="@example.com").exists()
