"""SSRF safety (webhooks.safety): HTTPS to public addresses only, when saved and again
at delivery (DNS rebinding); WEBHOOK_ALLOW_PRIVATE for development and tests only."""

import socket

import pytest

from core.errors import InvalidValue
from projects import services as project_services
from tests.support.tasks import run_worker
from webhooks import safety, services
from webhooks.models import Attempt


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:8080/hook", "must start with https://"),
        ("https://169.254.169.254/latest/meta-data", "not a public address (169.254.169.254)"),
        ("https://127.0.0.1/hook", "not a public address (127.0.0.1)"),
        ("https://10.1.2.3/hook", "not a public address"),
        ("https://[::1]/hook", "not a public address"),
        ("https://user:pw@example.com/hook", "must not hold a user name or password"),
        ("ftp://example.com/", "must start with https://"),
        ("https:///nohost", "has no host name"),
    ],
)
def test_refused_in_production_settings_with_a_clear_message(project, url, message):
    with pytest.raises(InvalidValue) as refused:
        services.endpoint_create(project=project, url=url)
    assert message in refused.value.message
    assert refused.value.field == "url"


def test_a_name_resolving_to_a_private_address_is_refused(project, monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("192.168.1.5", 443))]
    )
    with pytest.raises(InvalidValue, match=r"internal\.example\.com is not a public address"):
        services.endpoint_create(project=project, url="https://internal.example.com/hook")


def test_a_public_name_is_taken(project, monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))]
    )
    endpoint, secret = services.endpoint_create(project=project, url="https://hooks.example.com/x")
    assert endpoint.url == "https://hooks.example.com/x"
    assert secret.startswith("whsec_")
    assert safety.resolve(endpoint.url).address == "93.184.215.14"


def test_checked_again_at_delivery_time(project, settings, monkeypatch, database_queue):
    """A name that resolved to a public address when saved and to a private one when
    delivered (DNS rebinding) is not sent to."""
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))]
    )
    services.endpoint_create(project=project, url="https://hooks.example.com/x")
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))])
    project_services.subproject_create(parent=project, name="A")
    run_worker()
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and not attempt.succeeded
    assert "Not sent: hooks.example.com is not a public address (127.0.0.1)" in attempt.response
