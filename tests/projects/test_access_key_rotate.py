"""Rotating an access key: services.access_key_rotate and the dashboard's Rotate page
(/projects/{id}/keys/{key_id}/rotate/). The new key's secret is shown once; the old key
keeps working until it is revoked."""

import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from audit.models import AuditEvent
from core import credentials
from core.actors import Actor
from projects import services
from projects.models import AccessKey

# --- The service -------------------------------------------------------------------------


def test_rotating_creates_a_successor_and_keeps_the_old_key(project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    new, secret = services.access_key_rotate(key=old, actor=Actor.for_command("t"))
    assert new.replaces_id == old.pk and new.project_id == project.pk
    assert credentials.secret_matches(secret, new.secret_hash)
    assert set(project.access_keys.active()) == {old, new}
    assert new.display_name == f"Billing (rotated {timezone.localdate():%Y-%m-%d})"
    entries = AuditEvent.objects.filter(action__startswith="access_key.").order_by("id")
    assert [e.action for e in entries] == [
        "access_key.create",
        "access_key.create",
        "access_key.rotate",
    ]
    rotate = entries.last()
    assert rotate.key_id == old.key_id and rotate.actor_id == "t"
    assert rotate.changes == {"replaced_by": {"before": None, "after": new.key_id}}
    assert secret not in str(rotate.changes)


def test_the_successor_lasts_as_long_as_the_old_key_was_made_to(project):
    old, _ = services.access_key_create(
        project=project, display_name="CI", expires_at=timezone.now() + timedelta(days=30)
    )
    new, _ = services.access_key_rotate(key=old, display_name="CI 2")
    lifetime = new.expires_at - new.created_at
    assert timedelta(days=30) - timedelta(seconds=5) < lifetime <= timedelta(days=30)
    forever, _ = services.access_key_create(project=project, display_name="forever")
    assert services.access_key_rotate(key=forever)[0].expires_at is None


def test_a_revoked_key_cannot_be_rotated(project):
    old, _ = services.access_key_create(project=project, display_name="gone")
    services.access_key_revoke(key=old)
    with pytest.raises(ValidationError, match="has been revoked"):
        services.access_key_rotate(key=old)
    assert project.access_keys.active().count() == 0


def test_rotating_needs_a_free_slot_and_a_free_name(project):
    keys = [services.access_key_create(project=project, display_name=f"k{i}")[0] for i in range(10)]
    with pytest.raises(ValidationError, match="Revoke one"):
        services.access_key_rotate(key=keys[0])
    services.access_key_revoke(key=keys[9])
    with pytest.raises(ValidationError, match="already exists"):
        services.access_key_rotate(key=keys[0], display_name="k1")
    assert not AuditEvent.objects.filter(action="access_key.rotate").exists()


def test_a_long_name_is_cut_to_fit(project):
    old, _ = services.access_key_create(project=project, display_name="x" * 255)
    new, _ = services.access_key_rotate(key=old)
    assert len(new.display_name) == 255 and new.display_name.endswith(")")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: run with DATABASE_URL=postgres://... (CI does)",
)
def test_simultaneous_rotations_respect_the_limit():
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    keys = [services.access_key_create(project=project, display_name=f"k{i}")[0] for i in range(9)]
    barrier, errors = threading.Barrier(4), []

    def rotate(key):
        try:
            barrier.wait()
            services.access_key_rotate(key=key)
        except ValidationError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rotate, args=(key,)) for key in keys[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert project.access_keys.active().count() == 10
    assert len(errors) == 3 and all("Revoke one" in e.messages[0] for e in errors)
    assert AuditEvent.objects.filter(action="access_key.rotate").count() == 1


# --- The dashboard -----------------------------------------------------------------------


def url(key):
    return f"/projects/{key.project.public_id}/keys/{key.key_id}/rotate/"


def fresh_form(client, key, **data):
    body = client.get(url(key)).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body)[1]
    name = re.search(r'name="display_name" value="([^"]+)"', body)[1]
    return {"display_name": name, "token": token, **data}


def test_the_page_explains_and_proposes_a_name(client_for, member, project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    response = client_for(member).get(url(old))
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "<strong>keeps working</strong> until you revoke it" in body
    assert f'value="Billing (rotated {timezone.localdate():%Y-%m-%d})"' in body


def test_rotating_shows_the_new_secret_once_and_both_keys_after(client_for, member, project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    client = client_for(member)
    form = fresh_form(client, old, display_name="Billing 2")
    page = client.post(url(old), form)
    html = page.content.decode()
    new = AccessKey.objects.get(display_name="Billing 2")
    secret = html.split("data-key-secret>")[1].split("<")[0]
    assert credentials.secret_matches(secret, new.secret_hash)
    assert "“<bdi>Billing</bdi>” (<code>" in html and "<strong>still works</strong>" in html
    assert f'href="/projects/{project.public_id}/keys/{old.key_id}/revoke/"' in html
    # A reload of that POST: the key is not made twice and the secret not shown again.
    again = client.post(url(old), form).content.decode()
    assert "This access key was already created" in again and secret not in again
    assert project.access_keys.active().count() == 2
    # The list shows both, each with its last use, and which replaces which.
    section = client.get(f"/projects/{project.public_id}/").content.decode()
    assert "Replaces “<bdi>Billing</bdi>”" in section
    assert (
        "Replaced by “<bdi>Billing 2</bdi>”: revoke it once its last use stops changing" in section
    )
    assert section.count(">Never</td>") >= 2  # last used: never, for both


def test_a_refused_name_is_shown_on_the_form(client_for, member, project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    services.access_key_create(project=project, display_name="Taken")
    client = client_for(member)
    response = client.post(url(old), fresh_form(client, old, display_name="Taken"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert project.access_keys.active().count() == 2


def test_outsider_404_viewer_403_revoked_404(client_for, outsider, viewer, member, project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    assert client_for(outsider).get(url(old)).status_code == 404
    assert client_for(viewer).get(url(old)).status_code == 403
    assert client_for(viewer).post(url(old), {"display_name": "x"}).status_code == 403
    services.access_key_revoke(key=old)
    assert client_for(member).get(url(old)).status_code == 404
    assert project.access_keys.active().count() == 0


def test_offered_beside_each_key_to_writers(client_for, member, viewer, project):
    old, _ = services.access_key_create(project=project, display_name="Billing")
    assert url(old) in client_for(member).get(f"/projects/{project.public_id}/").content.decode()
    assert (
        url(old) not in client_for(viewer).get(f"/projects/{project.public_id}/").content.decode()
    )
