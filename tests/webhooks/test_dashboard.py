"""The dashboard's webhook endpoints (a top-level project's Settings): admins manage
them through the services the API calls; members and viewers read; a customer login,
an outsider and a subproject's URL get 404; fixed queries for the list and the log."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from events.models import Event
from projects import services as project_services
from tests.factories import granted
from webhooks import delivery, services
from webhooks.models import Attempt, Delivery, Endpoint


@pytest.fixture
def customer(account, subproject):
    """An ASP's customer: a member granted the subproject alone."""
    return granted(subproject, Role.MEMBER)


def base(project) -> str:
    return f"/projects/{project.public_id}/webhooks/"


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def secret_of(html: str) -> str:
    return re.search(r"data-webhook-secret>(whsec_[^<]+)<", html).group(1)


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(
    client_for, admin_user, project, receiver
):
    client = client_for(admin_user)
    form = client.get(base(project) + "new/")
    assert form.status_code == 200
    data = {
        "token": token_of(form.content.decode()),
        "url": receiver.url,
        "description": "Provisioning",
        "event_types": ["subproject.created", "project.suspended"],
        "enabled": "on",
    }
    shown = client.post(base(project) + "new/", data)

    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]
    endpoint = Endpoint.objects.get(project=project)
    assert secret_of(shown.content.decode()) == endpoint.secret
    assert endpoint.event_types == ["subproject.created", "project.suspended"]
    assert (endpoint.description, endpoint.enabled) == ("Provisioning", True)
    entry = AuditEvent.objects.get(action="webhook_endpoint.create")
    assert entry.actor_id == str(admin_user.pk) and endpoint.secret not in str(entry.changes)

    again = client.post(base(project) + "new/", data)  # a reload of the POST
    assert "already added" in again.content.decode()
    assert endpoint.secret not in again.content.decode()
    assert Endpoint.objects.filter(project=project).count() == 1

    listed = client.get(base(project)).content.decode()
    assert receiver.url in listed and "subproject.created, project.suspended" in listed
    assert "Provisioning" in listed and endpoint.secret not in listed


def test_an_unsafe_url_is_refused_on_the_form(client_for, admin_user, project, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    client = client_for(admin_user)
    token = token_of(client.get(base(project) + "new/").content.decode())
    for url in ("http://127.0.0.1:9000/hooks", "https://169.254.169.254/latest"):
        answer = client.post(base(project) + "new/", {"token": token, "url": url})
        assert answer.status_code == 400
        assert ("must start with https://" in answer.content.decode()) or (
            "is not a public address" in answer.content.decode()
        )
    assert not Endpoint.objects.exists()


@pytest.fixture
def endpoint(receiver, project, database_queue):
    endpoint, _ = services.endpoint_create(project=project, url=receiver.url)
    return endpoint


def detail(endpoint) -> str:
    return base(endpoint.project) + f"{endpoint.public_id}/"


def test_an_admin_edits_disables_and_enables(client_for, admin_user, endpoint):
    client = client_for(admin_user)
    assert client.get(detail(endpoint) + "edit/").status_code == 200
    saved = client.post(
        detail(endpoint) + "edit/",
        {"url": endpoint.url, "description": "Billing robot", "event_types": ["statement.closed"]},
    )
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.description == "Billing robot"
    assert endpoint.event_types == ["statement.closed"]
    assert endpoint.enabled is False  # the box was not ticked

    wrong = client.post(detail(endpoint) + "edit/", {"url": endpoint.url, "event_types": ["x"]})
    assert wrong.status_code == 400 and "Select a valid choice" in wrong.content.decode()

    client.post(detail(endpoint) + "enable/", {"enabled": "1"})
    endpoint.refresh_from_db()
    assert endpoint.enabled is True
    client.post(detail(endpoint) + "enable/", {"enabled": "0"})
    endpoint.refresh_from_db()
    assert endpoint.enabled is False
    page = client.get(detail(endpoint)).content.decode()
    assert "Disabled" in page and ">Enable</button>" in page


def test_an_admin_rotates_the_secret_the_old_one_signs_for_24_hours(
    client_for, admin_user, endpoint
):
    old = endpoint.secret
    client = client_for(admin_user)
    form = client.get(detail(endpoint) + "rotate/")
    assert "24 hours" in form.content.decode()
    data = {"token": token_of(form.content.decode())}
    shown = client.post(detail(endpoint) + "rotate/", data)

    endpoint.refresh_from_db()
    assert secret_of(shown.content.decode()) == endpoint.secret != old
    assert endpoint.previous_secret == old
    assert len(endpoint.signing_secrets(delivery.now())) == 2
    again = client.post(detail(endpoint) + "rotate/", data)  # a reload: no second rotation
    assert "already rotated" in again.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == old
    assert "The previous secret also signs until" in client.get(detail(endpoint)).content.decode()


def test_an_admin_deletes_an_endpoint(client_for, admin_user, endpoint):
    client = client_for(admin_user)
    assert client.get(detail(endpoint) + "delete/").status_code == 200
    answer = client.post(detail(endpoint) + "delete/")
    assert answer.status_code == 302 and answer["Location"] == base(endpoint.project)
    assert not Endpoint.objects.exists()
    assert AuditEvent.objects.filter(action="webhook_endpoint.delete").count() == 1


def test_send_test_event_and_its_attempt_in_the_log(client_for, admin_user, endpoint, receiver):
    from tests.support.tasks import run_worker

    client = client_for(admin_user)
    assert client.post(detail(endpoint) + "test/").status_code == 302
    run_worker()

    assert len(receiver.requests) == 1
    assert b'"type":"webhook.test"' in receiver.requests[0][1]
    page = client.get(detail(endpoint)).content.decode()
    attempt = Attempt.objects.get()
    assert "webhook.test" in page and "200 Delivered" in page
    assert f"{attempt.latency_ms} ms" in page and "{&quot;ok&quot;: true}" in page
    assert f'value="{attempt.delivery.event_id}"' not in page  # a test event is not replayed


def test_replay_one_event_and_everything_since_a_time(
    client_for, admin_user, endpoint, project, receiver
):
    from tests.support.tasks import run_worker

    project_services.subproject_create(parent=project, name="One")
    project_services.subproject_create(parent=project, name="Two")
    run_worker()
    first, _ = Event.objects.order_by("sequence")
    client = client_for(admin_user)
    page = client.get(detail(endpoint)).content.decode()
    assert f'value="{first.id}"' in page  # each delivered event's Replay button

    client.post(detail(endpoint) + "replay/", {"event_id": first.id})
    since = timezone.localtime(first.created_at).strftime("%Y-%m-%dT%H:%M")
    Event.objects.filter(pk=first.pk).update(created_at=first.created_at.replace(year=2025))
    answer = client.post(detail(endpoint) + "replay/", {"since": since})
    assert answer.status_code == 302
    run_worker()
    sequences = [
        int(re.search(rb'"sequence":(\d+)', body).group(1)) for _, body in receiver.requests
    ]
    assert sequences == [1, 2, 1, 2]  # the two, then the one, then those after `since`
    assert Delivery.objects.filter(replay=True).count() == 2

    bad = client.post(detail(endpoint) + "replay/", {"since": "yesterday"})
    assert bad.status_code == 400 and "Enter a valid date/time" in bad.content.decode()


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_members_and_viewers_read_only(request, client_for, who, endpoint, receiver):
    from tests.support.tasks import run_worker

    delivery.send_test(endpoint)
    run_worker()
    client = client_for(request.getfixturevalue(who))
    listed = client.get(base(endpoint.project))
    assert listed.status_code == 200 and endpoint.url in listed.content.decode()
    assert "Add endpoint" not in listed.content.decode()
    page = client.get(detail(endpoint)).content.decode()
    assert "200 Delivered" in page  # the log
    for action in ("edit/", "enable/", "test/", "rotate/", "delete/", "replay/"):
        assert detail(endpoint) + action not in page
    assert "Only the account's admins change webhook endpoints." in page

    for action in ("edit/", "rotate/", "delete/"):
        assert client.get(detail(endpoint) + action).status_code == 403
    assert client.get(base(endpoint.project) + "new/").status_code == 403
    for action in ("edit/", "enable/", "test/", "rotate/", "delete/", "replay/"):
        assert client.post(detail(endpoint) + action, {"enabled": "0"}).status_code == 403
    endpoint.refresh_from_db()
    assert endpoint.enabled and Attempt.objects.count() == 1


@pytest.mark.parametrize("who", ["customer", "outsider"])
def test_customer_logins_and_outsiders_get_404(request, client_for, who, endpoint):
    client = client_for(request.getfixturevalue(who))
    assert client.get(base(endpoint.project)).status_code == 404
    assert client.get(base(endpoint.project) + "new/").status_code == 404
    assert client.get(detail(endpoint)).status_code == 404
    for action in ("edit/", "enable/", "test/", "rotate/", "delete/", "replay/"):
        assert client.post(detail(endpoint) + action).status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk, enabled=True).exists()


def test_a_subproject_has_no_webhook_endpoints(client_for, admin_user, project, subproject):
    client = client_for(admin_user)
    assert client.get(base(subproject)).status_code == 404
    assert client.get(base(subproject) + "new/").status_code == 404
    assert (
        "Webhook endpoints" not in client.get(f"/projects/{subproject.public_id}/").content.decode()
    )
    parent_page = client.get(f"/projects/{project.public_id}/").content.decode()
    assert 'href="#webhooks"' in parent_page and base(project) in parent_page


def test_another_projects_endpoint_is_404(client_for, admin_user, account, endpoint):
    from tests.factories import ProjectFactory

    other = ProjectFactory(account=account)
    client = client_for(admin_user)
    assert client.get(base(other) + f"{endpoint.public_id}/").status_code == 404
    assert client.post(base(other) + f"{endpoint.public_id}/delete/").status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_forms_need_the_csrf_token(admin_user, endpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    page = client.get(detail(endpoint)).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 4  # enable, test, replay, sign out…
    assert client.post(detail(endpoint) + "enable/", {"enabled": "0"}).status_code == 403
    assert client.post(detail(endpoint) + "delete/").status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk, enabled=True).exists()


def test_the_navigation_marks_settings_on_webhook_pages(client_for, admin_user, endpoint):
    client = client_for(admin_user)
    for path in (base(endpoint.project), detail(endpoint)):
        page = client.get(path).content.decode()
        current = re.search(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', page)
        assert current and current.group(1).strip() == "Settings", path


def test_the_list_costs_the_same_queries_whatever_the_number_of_endpoints(
    client_for, admin_user, project, receiver, django_assert_num_queries
):
    client = client_for(admin_user)
    services.endpoint_create(project=project, url=receiver.url)
    client.get(base(project))
    # session, user, project (with role), endpoints with their last attempts
    with django_assert_num_queries(4):
        assert client.get(base(project)).status_code == 200
    for _ in range(6):
        services.endpoint_create(project=project, url=receiver.url)
    with django_assert_num_queries(4):
        assert client.get(base(project)).status_code == 200


def test_the_log_costs_the_same_queries_whatever_its_length(
    client_for, admin_user, endpoint, project, django_assert_num_queries
):
    def attempts(n):
        for _ in range(n):
            sent = delivery.send_test(endpoint)
            Attempt.objects.create(
                delivery=sent,
                endpoint=endpoint,
                at=delivery.now(),
                status_code=200,
                succeeded=True,
                latency_ms=3,
                response="ok",
            )

    client = client_for(admin_user)
    attempts(2)
    client.get(detail(endpoint))
    # session, user, project (with role), endpoint, one page of attempts with their events
    with django_assert_num_queries(5):
        assert client.get(detail(endpoint)).status_code == 200
    attempts(60)
    with django_assert_num_queries(5):
        page = client.get(detail(endpoint))
    assert page.status_code == 200 and 'rel="next"' in page.content.decode()
    older = re.search(r'href="([^"]+)" rel="next"', page.content.decode()).group(1)
    with django_assert_num_queries(5):
        assert client.get(older.replace("&amp;", "&")).status_code == 200
