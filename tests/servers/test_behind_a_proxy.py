"""Behind a reverse proxy set up as docs/operations.md says ("Behind a proxy":
TRUSTED_PROXIES names the proxy; the proxy appends to X-Forwarded-For), each client is
counted at its own address: one noisy client cannot lock out the others that share the
proxy.

Before the fix every request arrived from the proxy's address and ~50 bad sign-ins
locked everyone out; gunicorn's `--forwarded-allow-ips`, which earlier documentation
advised, did not help (gunicorn reads X-Forwarded-For only for the scheme, never for
REMOTE_ADDR).
"""

import pytest

from accounts import forms
from core.credentials import new_secret
from projects.api import auth as api_auth
from tests.factories import PASSWORD, UserFactory
from tests.support.api_client import basic

from .support import ForwardingProxy, form_fields, session_from

pytestmark = pytest.mark.servers

NOISY, NEIGHBOUR = "127.0.0.2", "127.0.0.3"


@pytest.fixture
def proxy(start_server):
    server = start_server(TRUSTED_PROXIES="127.0.0.1/32")
    proxy = ForwardingProxy(server.base)
    yield proxy
    proxy.stop()


def sign_in(session, proxy, email, password, headers=None):
    page = session.get(proxy.url("/accounts/login/"))
    return session.post(
        proxy.url("/accounts/login/"),
        data={**form_fields(page.text), "username": email, "password": password},
        headers=headers or {},
        allow_redirects=False,
    )


def test_a_noisy_client_does_not_lock_out_its_neighbours(proxy):
    ann, bob = UserFactory(email="ann@example.com"), UserFactory(email="bob@example.com")
    noisy = session_from(NOISY)
    for i in range(forms.ADDRESS_FAILURE_LIMIT):
        assert sign_in(noisy, proxy, f"guess{i}@example.com", "wrong").status_code == 200
    # The noisy address is slowed down, even with a correct password …
    paced = sign_in(noisy, proxy, ann.email, PASSWORD)
    assert paced.status_code == 200 and "Too many failed sign-ins from your network" in paced.text
    # … and cannot pass for someone else by sending its own X-Forwarded-For: the proxy
    # appends the real address, the right-most one not of a trusted proxy counts.
    forged = sign_in(noisy, proxy, ann.email, PASSWORD, headers={"X-Forwarded-For": NEIGHBOUR})
    assert "Too many failed sign-ins from your network" in forged.text
    # A neighbour behind the same proxy signs in at once.
    assert sign_in(session_from(NEIGHBOUR), proxy, bob.email, PASSWORD).status_code == 302


def test_api_failures_are_counted_per_client_behind_the_proxy(proxy, project):
    # Credentials of our shape (only those are counted: a malformed one costs no query).
    wrong = {"Authorization": basic("00000000-0000-4000-8000-000000000000", new_secret())}
    url = proxy.url(f"/api/v1/projects/{project.public_id}/subprojects")
    noisy = session_from(NOISY)
    for _ in range(api_auth.FAILURE_LIMIT):
        assert "Retry-After" not in noisy.get(url, headers=wrong).headers
    assert noisy.get(url, headers=wrong).headers["Retry-After"] == str(api_auth.FAILURE_WINDOW)
    neighbour = session_from(NEIGHBOUR).get(url, headers=wrong)
    assert neighbour.status_code == 401 and "Retry-After" not in neighbour.headers
