"""Each action, through each interface that offers it, writes exactly one entry with the
right action, actor, source and target."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from projects import services
from projects.models import AccessKey, Project
from tests.support.api_client import basic

OPERATOR_FORM = {"grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0"}


def new_events(before: int) -> list[AuditEvent]:
    """The entries written since `before` (an id), sign-ins left out."""
    return list(
        AuditEvent.objects.filter(id__gt=before).exclude(action="user.sign_in").order_by("id")
    )


@pytest.fixture
def mark(db):
    """Call it to note where the trail is; `new_events(mark())` afterwards."""
    return lambda: AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def dashboard(client, admin_user):
    client.force_login(admin_user)
    return client, ("user", admin_user.email, "dashboard")


@pytest.fixture
def admin_site(client, operator):
    client.force_login(operator)
    return client, ("user", operator.email, "admin")


@pytest.fixture
def api(client, project):
    key, secret = services.access_key_create(project=project, display_name="automation")
    return client, {"Authorization": basic(key.key_id, secret)}, ("access_key", key.key_id, "api")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def assert_one(events, action, who, target_id):
    assert [e.action for e in events] == [action], [(e.action, e.target_id) for e in events]
    event = events[0]
    actor_type, actor, source = who
    assert event.actor_type == actor_type and event.source == source
    assert actor in (event.actor_label, event.actor_id)
    assert event.target_id == target_id
    if source in ("dashboard", "admin", "api"):
        assert event.address == "127.0.0.1"
    return event


def command_actor(name):
    return ("command", name, "command")


# --- Projects and subprojects ---------------------------------------------------------


def test_create_through_the_dashboard(dashboard, project, mark):
    client, who = dashboard
    start = mark()
    form = client.get(f"/projects/{project.public_id}/subprojects/new/").content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    client.post(f"/projects/{project.public_id}/subprojects/new/", {"name": "New", "token": token})
    created = Project.objects.get(name="New")
    assert_one(new_events(start), "subproject.create", who, created.public_id)


def test_create_through_the_api(api, project, mark):
    client, headers, who = api
    start = mark()
    response = client.post(
        f"/api/v1/projects/{project.public_id}/subprojects",
        json.dumps({"displayName": "New"}),
        content_type="application/json",
        headers=headers,
    )
    assert_one(new_events(start), "subproject.create", who, response.json()["subprojectId"])


def test_create_through_the_admin(admin_site, project, mark):
    client, who = admin_site
    start = mark()
    client.post(
        "/admin/projects/project/add/",
        {"account": project.account_id, "parent": project.pk, "name": "New", "labels": "{}"}
        | OPERATOR_FORM,
    )
    assert_one(
        new_events(start), "subproject.create", who, Project.objects.get(name="New").public_id
    )
    start = mark()
    client.post(
        "/admin/projects/project/add/",
        {"account": project.account_id, "name": "Top", "labels": "{}"} | OPERATOR_FORM,
    )
    assert_one(new_events(start), "project.create", who, Project.objects.get(name="Top").public_id)


def test_create_through_the_commands(project, mark):
    start = mark()
    sub_id = run("create_subproject", project.public_id, "New").strip()
    assert_one(new_events(start), "subproject.create", command_actor("create_subproject"), sub_id)
    start = mark()
    top_id = run("create_project", project.account.public_id, "Top").strip()
    assert_one(new_events(start), "project.create", command_actor("create_project"), top_id)


def test_rename_and_relabel_through_the_dashboard(dashboard, subproject, mark):
    client, who = dashboard
    start = mark()
    client.post(f"/projects/{subproject.public_id}/rename/", {"name": "Renamed"})
    assert_one(new_events(start), "subproject.rename", who, subproject.public_id)
    start = mark()
    client.post(f"/projects/{subproject.public_id}/labels/", {"labels": "tier=gold"})
    event = assert_one(new_events(start), "subproject.relabel", who, subproject.public_id)
    assert event.changes == {"labels": {"before": {}, "after": {"tier": "gold"}}}


def test_rename_through_the_api(api, subproject, mark):
    client, headers, who = api
    start = mark()
    client.patch(
        f"/api/v1/subprojects/{subproject.public_id}",
        json.dumps({"displayName": "Renamed", "labels": {"a": "b"}}),
        content_type="application/json",
        headers=headers,
    )
    assert_one(new_events(start), "subproject.update", who, subproject.public_id)


def test_rename_through_the_admin(admin_site, project, mark):
    client, who = admin_site
    start = mark()
    client.post(
        f"/admin/projects/project/{project.pk}/change/",
        {
            "name": "Renamed",
            "labels": "{}",
            "access_keys-TOTAL_FORMS": "0",
            "access_keys-INITIAL_FORMS": "0",
            "subprojects-TOTAL_FORMS": "0",
            "subprojects-INITIAL_FORMS": "0",
        }
        | OPERATOR_FORM,
    )
    assert_one(new_events(start), "project.rename", who, project.public_id)


def test_remove_and_restore_through_the_dashboard(dashboard, subproject, mark):
    client, who = dashboard
    start = mark()
    client.post(f"/projects/{subproject.public_id}/remove/")
    assert_one(new_events(start), "subproject.remove", who, subproject.public_id)
    start = mark()
    client.post(f"/projects/{subproject.public_id}/restore/")
    assert_one(new_events(start), "subproject.restore", who, subproject.public_id)


def test_remove_through_the_api(api, subproject, mark):
    client, headers, who = api
    start = mark()
    client.delete(f"/api/v1/subprojects/{subproject.public_id}", headers=headers)
    assert_one(new_events(start), "subproject.remove", who, subproject.public_id)


def test_remove_and_restore_through_the_admin(admin_site, subproject, mark):
    client, who = admin_site
    for action, verb in (("remove_subprojects", "remove"), ("restore_subprojects", "restore")):
        start = mark()
        client.post(
            "/admin/projects/project/", {"action": action, "_selected_action": [subproject.pk]}
        )
        assert_one(new_events(start), f"subproject.{verb}", who, subproject.public_id)


def test_purge_through_the_command(subproject, mark):
    services.subproject_remove(subproject=subproject)
    Project.objects.filter(pk=subproject.pk).update(removed_at=timezone.now() - timedelta(days=31))
    start = mark()
    run("purge_removed_subprojects")
    assert_one(
        new_events(start),
        "subproject.purge",
        command_actor("purge_removed_subprojects"),
        subproject.public_id,
    )


# --- Access keys ------------------------------------------------------------------------


def test_keys_through_the_dashboard(dashboard, project, mark):
    client, who = dashboard
    start = mark()
    url = f"/projects/{project.public_id}/keys/new/"
    token = client.get(url).content.decode().split('name="token" value="')[1].split('"')[0]
    client.post(url, {"display_name": "web", "token": token, "expires": "30"})
    key = AccessKey.objects.get(display_name="web")
    event = assert_one(new_events(start), "access_key.create", who, key.key_id)
    assert event.changes["expires_at"]["after"]
    start = mark()
    client.post(f"/projects/{project.public_id}/keys/{key.key_id}/revoke/")
    assert_one(new_events(start), "access_key.revoke", who, key.key_id)


def test_keys_through_the_api(api, project, mark):
    client, headers, who = api
    base = f"/api/v1/projects/{project.public_id}/accessKeys"
    start = mark()
    created = client.post(
        base, json.dumps({"displayName": "ci"}), content_type="application/json", headers=headers
    ).json()["accessKey"]["accessKeyId"]
    assert_one(new_events(start), "access_key.create", who, created)
    start = mark()
    client.patch(
        f"{base}/{created}",
        json.dumps({"displayName": "ci-2"}),
        content_type="application/json",
        headers=headers,
    )
    assert_one(new_events(start), "access_key.rename", who, created)
    start = mark()
    client.delete(f"{base}/{created}", headers=headers)
    assert_one(new_events(start), "access_key.revoke", who, created)


def test_keys_through_the_admin(admin_site, project, mark):
    client, who = admin_site
    key, _ = services.access_key_create(project=project, display_name="k")
    start = mark()
    client.post(
        "/admin/projects/accesskey/", {"action": "revoke_keys", "_selected_action": [key.pk]}
    )
    assert_one(new_events(start), "access_key.revoke", who, key.key_id)


def test_keys_through_the_commands(project, mark):
    start = mark()
    output = run("create_access_key", project.public_id, "cmd", "--expires-in-days", "7")
    key_id = output.split("Key ID:")[1].split()[0]
    event = assert_one(
        new_events(start), "access_key.create", command_actor("create_access_key"), key_id
    )
    assert event.changes["expires_at"]["after"]
    start = mark()
    run("revoke_access_key", key_id)
    assert_one(new_events(start), "access_key.revoke", command_actor("revoke_access_key"), key_id)


# --- Accounts and members ---------------------------------------------------------------


def test_create_account_command(db, mark):
    start = mark()
    account_id = run("create_account", "Globex", "--admin", "boss@example.com").strip()
    events = new_events(start)
    assert [e.action for e in events] == ["account.create", "membership.create"]
    assert {(e.actor_type, e.actor_id, e.source) for e in events} == {
        ("command", "create_account", "command")
    }
    assert events[0].account_id == events[1].account_id == account_id
    assert events[1].target_id == "boss@example.com"
