"""The webhook endpoints API: /api/v1/projects/{id}/webhookEndpoints (CRUD, rotateSecret,
replay, test, deliveries). A parent's key manages them; a subproject's key and other
projects' keys get the unknown ID's answer; the secret is shown at creation and rotation
only."""

import pytest
from django.core.cache import cache

from events.models import Event
from projects import services as project_services
from tests.factories import ProjectFactory
from tests.support.api_client import basic, call, error_of, key_header
from tests.support.tasks import run_worker
from webhooks.models import Attempt, Endpoint


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()


def base(project):
    return f"/api/v1/projects/{project.public_id}/webhookEndpoints"


@pytest.fixture
def auth(project):
    return key_header(project)


def create(client, project, auth, **body):
    return call(client, "POST", base(project), auth, {"url": "https://x.test/h", **body})


@pytest.fixture
def public_dns(monkeypatch):
    import socket

    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))]
    )


def test_create_shows_the_secret_once_then_never(client, project, auth, public_dns):
    response = create(client, project, auth, description="CRM", eventTypes=["subproject.created"])
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["url"] == "https://x.test/h"
    assert body["eventTypes"] == ["subproject.created"]
    assert body["enabled"] is True
    endpoint_url = f"{base(project)}/{body['id']}"

    listed = call(client, "GET", base(project), auth).json()["webhookEndpoints"]
    assert [e["id"] for e in listed] == [body["id"]]
    assert "secret" not in listed[0]
    got = call(client, "GET", endpoint_url, auth).json()
    assert "secret" not in got
    assert body["secret"] not in str(Event.objects.values_list("data", flat=True))

    rotated = call(client, "POST", endpoint_url + ":rotateSecret", auth).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != body["secret"]


def test_update_and_delete(client, project, auth, public_dns):
    endpoint_id = create(client, project, auth).json()["id"]
    url = f"{base(project)}/{endpoint_id}"
    response = call(client, "PATCH", url, auth, {"enabled": False, "description": "off"})
    assert response.status_code == 200
    assert response.json()["enabled"] is False
    assert call(client, "DELETE", url, auth).status_code == 204
    assert call(client, "GET", url, auth).status_code == 404
    assert not Endpoint.objects.exists()


def test_at_most_ten(client, project, auth, public_dns):
    for _ in range(10):
        assert create(client, project, auth).status_code == 201
    status, word, message = error_of(create(client, project, auth))
    assert (status, word) == (400, "FAILED_PRECONDITION")
    assert "10 webhook endpoints" in message


def test_bad_input_is_a_400_naming_the_field(client, project, auth, public_dns):
    status, _, message = error_of(create(client, project, auth, eventTypes=["nope"]))
    assert status == 400 and "event_types" in message
    status, _, message = error_of(call(client, "POST", base(project), auth, {"url": 5}))
    assert status == 400 and message.startswith("url:")
    status, _, message = error_of(create(client, project, auth, url="http://127.0.0.1:9/"))
    assert status == 400 and "https://" in message
    assert not Endpoint.objects.exists()


def test_subproject_keys_and_outsiders_never_see_them(
    client, project, subproject, auth, public_dns
):
    endpoint_id = create(client, project, auth).json()["id"]
    for other in (key_header(subproject, "customer"), key_header(ProjectFactory(), "other")):
        assert error_of(call(client, "GET", base(project), other))[:2] == (403, "PERMISSION_DENIED")
        assert call(client, "GET", f"{base(project)}/{endpoint_id}", other).status_code == 404
        assert create(client, project, other).status_code == 403
    assert call(client, "GET", base(subproject), auth).status_code == 403


def test_replay_test_event_and_delivery_log(client, project, auth, settings, database_queue):
    from tests.support.receiver import Receiver

    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver()
    try:
        endpoint_id = create(client, project, auth, url=receiver.url).json()["id"]
        url = f"{base(project)}/{endpoint_id}"
        project_services.subproject_create(parent=project, name="A")
        assert call(client, "POST", url + ":test", auth).status_code == 202
        run_worker()
        response = call(client, "POST", url + ":replay", auth, {"since": "2000-01-01T00:00:00Z"})
        assert response.status_code == 202
        # the family's two events: the key key_header made, then the subproject
        assert response.json() == {"replayed": 2}
        run_worker()
        log = call(client, "GET", url + "/deliveries", auth).json()["deliveries"]
        assert [d["eventType"] for d in log] == [
            "subproject.created",
            "access_key.created",
            "webhook.test",
            "subproject.created",
        ]
        assert all(d["statusCode"] == 200 and d["latencyMs"] >= 0 for d in log)
        assert Attempt.objects.count() == 4
        assert len(receiver.requests) == 4

        both = {"since": "2000-01-01T00:00:00Z", "eventId": "x"}
        assert call(client, "POST", url + ":replay", auth, both).status_code == 400
        naive = {"since": "2000-01-01T00:00:00"}
        assert call(client, "POST", url + ":replay", auth, naive).status_code == 400
    finally:
        receiver.close()


def test_a_scoped_key_needs_the_webhooks_permission(client, project, public_dns):
    """Endpoints and the events list are the `webhooks` resource of projects.scopes: a
    read-only key lists them but may not create one; a subprojects-only key reads neither."""

    def scoped(*permissions):
        key, secret = project_services.access_key_create(
            project=project, display_name=" ".join(permissions), permissions=list(permissions)
        )
        return basic(key.key_id, secret)

    reader = scoped("webhooks:read")
    assert call(client, "GET", base(project), reader).status_code == 200
    events = f"/api/v1/projects/{project.public_id}/events"
    assert call(client, "GET", events, reader).status_code == 200
    refused = create(client, project, reader)
    assert error_of(refused)[:2] == (403, "PERMISSION_DENIED")
    assert "webhooks:write" in error_of(refused)[2]
    assert Endpoint.objects.count() == 0

    other = scoped("subprojects:read")
    assert error_of(call(client, "GET", base(project), other))[:2] == (403, "PERMISSION_DENIED")
    assert error_of(call(client, "GET", events, other))[:2] == (403, "PERMISSION_DENIED")
    assert create(client, project, scoped("webhooks:write")).status_code == 201
