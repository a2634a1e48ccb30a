"""Two app servers behind one load balancer, sharing PostgreSQL and Redis: whatever one
server does, the other sees at once. Requests alternate between two gunicorn instances
of the project started on their own ports (CI runs this on PostgreSQL and Redis)."""

import threading
import uuid

import pytest
import requests

from accounts import forms
from accounts.models import Role
from projects import services
from projects.models import Project
from tests.factories import PASSWORD, GrantFactory, MembershipFactory, ProjectFactory
from tests.support.api_client import basic

from .support import form_fields

pytestmark = pytest.mark.servers


@pytest.fixture
def servers(start_server, shared_redis_url):
    return start_server(CACHE_URL=shared_redis_url), start_server(CACHE_URL=shared_redis_url)


@pytest.fixture
def member_and_project(db):
    project = ProjectFactory(name="Fleet parent")
    membership = MembershipFactory(account=project.account, role=Role.MEMBER)
    GrantFactory(membership=membership, project=project)
    return membership.user, project


def sign_in(session, server, email, password):
    page = session.get(server.url("/accounts/login/"))
    fields = form_fields(page.text)
    return session.post(
        server.url("/accounts/login/"),
        data={**fields, "username": email, "password": password},
        allow_redirects=False,
    )


def test_signed_in_on_one_server_continues_on_the_other(servers, member_and_project):
    a, b = servers
    user, project = member_and_project
    session = requests.Session()
    assert sign_in(session, a, user.email, PASSWORD).status_code == 302
    page = session.get(b.url(f"/projects/{project.public_id}/subprojects/"))
    assert page.status_code == 200 and "Fleet parent" in page.text
    # Signing out on B ends the session on A too.
    csrf = form_fields(page.text)["csrfmiddlewaretoken"]
    session.post(b.url("/accounts/logout/"), data={"csrfmiddlewaretoken": csrf})
    after = session.get(a.url("/projects/"), allow_redirects=False)
    assert after.status_code == 302 and "/accounts/login/" in after.headers["Location"]


def test_a_create_form_posted_to_both_servers_makes_one_subproject(servers, member_and_project):
    a, b = servers
    user, project = member_and_project
    session = requests.Session()
    sign_in(session, a, user.email, PASSWORD)
    form = form_fields(session.get(a.url(f"/projects/{project.public_id}/subprojects/new/")).text)
    data = {**form, "name": "Sent twice"}
    url = f"/projects/{project.public_id}/subprojects/new/"
    first = session.post(a.url(url), data=data, allow_redirects=False)
    second = session.post(b.url(url), data=data, allow_redirects=False)
    assert first.status_code == second.status_code == 302
    created = Project.objects.filter(parent=project, name="Sent twice")
    assert created.count() == 1
    assert created.get().public_id in first.headers["Location"] == second.headers["Location"]


def test_one_idempotency_key_sent_to_both_at_once_makes_one(servers, member_and_project):
    b = servers[1]
    _, project = member_and_project
    key, secret = services.access_key_create(project=project, display_name="fleet")
    headers = {
        "Authorization": basic(key.key_id, secret),
        "Idempotency-Key": str(uuid.uuid4()),
    }
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    body = {"displayName": "Once"}
    for trial in range(5):
        headers["Idempotency-Key"] = f"fleet-{trial}-{uuid.uuid4()}"
        barrier = threading.Barrier(2)
        answers = {}

        def send(server, headers=headers, barrier=barrier, answers=answers):
            barrier.wait()
            answers[server.port] = requests.post(
                server.url(url), json=body, headers=headers, timeout=30
            )

        threads = [threading.Thread(target=send, args=(server,)) for server in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(response.status_code for response in answers.values())
        assert 500 not in statuses
        # Each is the subproject, or "still in progress, retry"; a retry gets the one.
        for response in answers.values():
            if response.status_code == 400:
                assert response.json()["error"]["status"] == "FAILED_PRECONDITION"
        retried = requests.post(b.url(url), json=body, headers=headers, timeout=30)
        assert retried.status_code == 200
        ids = {r.json()["subprojectId"] for r in answers.values() if r.status_code == 200}
        assert ids <= {retried.json()["subprojectId"]}
    assert Project.objects.filter(parent=project, name="Once").count() == 5


def test_a_key_revoked_through_one_server_is_refused_by_the_other(servers, member_and_project):
    a, b = servers
    _, project = member_and_project
    key, secret = services.access_key_create(project=project, display_name="to revoke")
    admin_key, admin_secret = services.access_key_create(project=project, display_name="admin")
    auth = {"Authorization": basic(key.key_id, secret)}
    token = requests.post(
        b.url("/oauth2/token"), data={"grant_type": "client_credentials"}, headers=auth, timeout=30
    ).json()["access_token"]
    listing = f"/api/v1/projects/{project.public_id}/subprojects"
    assert requests.get(b.url(listing), headers=auth, timeout=30).status_code == 200
    revoked = requests.delete(
        a.url(f"/api/v1/projects/{project.public_id}/accessKeys/{key.key_id}"),
        headers={"Authorization": basic(admin_key.key_id, admin_secret)},
        timeout=30,
    )
    assert revoked.status_code == 200
    assert requests.get(b.url(listing), headers=auth, timeout=30).status_code == 401
    bearer = {"Authorization": f"Bearer {token}"}
    assert requests.get(b.url(listing), headers=bearer, timeout=30).status_code == 401


def test_failed_sign_ins_on_both_servers_add_up_to_one_limit(servers, member_and_project):
    a, b = servers
    user, _ = member_and_project
    for i in range(forms.EMAIL_FAILURE_LIMIT):
        server = (a, b)[i % 2]
        response = sign_in(requests.Session(), server, user.email, "wrong")
        assert "Please enter a correct email address" in response.text
    for server in (a, b):
        response = sign_in(requests.Session(), server, user.email, PASSWORD)
        assert response.status_code == 200
        assert "Too many failed sign-ins for this email" in response.text


def test_no_server_logged_a_server_error(servers, member_and_project):
    a, b = servers
    user, _ = member_and_project
    session = requests.Session()
    sign_in(session, a, user.email, PASSWORD)
    for server in (a, b, a, b):
        assert session.get(server.url("/projects/")).status_code == 200
    assert session.get(b.url("/readyz")).json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "cache": "ok",
    }
    for server in servers:
        assert server.server_errors() == []
