"""With its database unreachable, a server answers 503 with Retry-After everywhere (the
API in its JSON shape), never 500: a real gunicorn whose DATABASE_URL points at a port
where nothing listens."""

import pytest
import requests

from core.credentials import new_secret
from tests.support.api_client import basic

from .support import form_fields, free_port

pytestmark = pytest.mark.servers


@pytest.fixture
def server(start_server):
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/console"
    return start_server(workers=1, DATABASE_URL=nowhere)


def test_everything_is_a_503_with_retry_after(server):
    # Credentials of our shape, so looked up (a malformed one is refused without the
    # database, 401).
    credentials = basic("00000000-0000-4000-8000-000000000000", new_secret())
    api = requests.get(
        server.url("/api/v1/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/subprojects"),
        headers={"Authorization": credentials},
        timeout=30,
    )
    assert api.status_code == 503 and api.headers["Retry-After"] == "5"
    assert api.json()["error"]["status"] == "UNAVAILABLE"
    token = requests.post(
        server.url("/oauth2/token"),
        data={
            "grant_type": "client_credentials",
            "client_id": "00000000-0000-4000-8000-000000000000",
            "client_secret": new_secret(),
        },
        timeout=30,
    )
    assert token.status_code == 503
    assert token.json()["error"] == "temporarily_unavailable"
    session = requests.Session()
    form = form_fields(session.get(server.url("/accounts/login/"), timeout=30).text)
    sign_in = session.post(
        server.url("/accounts/login/"),
        data={**form, "username": "a@example.com", "password": "x"},
        timeout=30,
    )
    # The guess counter cannot count: the sign-in is refused (closed), as a 503.
    assert sign_in.status_code == 503 and sign_in.headers["Retry-After"] == "5"
    page = requests.get(server.url("/projects/"), cookies={"sessionid": "x" * 32}, timeout=30)
    assert page.status_code == 503 and "Temporarily unavailable" in page.text
    assert page.headers["X-Request-ID"] in page.text
    # Liveness answers (restarting the server would not bring the database back);
    # readiness does not.
    assert requests.get(server.url("/healthz"), timeout=30).status_code == 200
    ready = requests.get(server.url("/readyz"), timeout=30)
    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unreachable"
    assert server.server_errors() == []
