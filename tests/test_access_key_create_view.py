from projects import key_secrets, services
from projects.models import AccessKey


def url(project, what="new"):
    return f"/projects/{project.public_id}/keys/{what}/"


def test_create_shows_the_secret_once(client_for, member, project):
    client = client_for(member)
    assert client.get(url(project)).status_code == 200
    response = client.post(url(project), {"display_name": "CI"})
    assert response.status_code == 302
    assert response["Location"] == url(project, "created")
    key = AccessKey.objects.get(project=project)
    assert key.display_name == "CI" and key.created_by == member

    page = client.get(url(project, "created"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert key.key_id in html
    secret = html.split("data-key-secret>")[1].split("<")[0]
    assert key_secrets.is_well_formed(secret)
    assert key_secrets.secret_matches(secret, key.secret_hash)
    assert f'data-copy="{secret}"' in html
    assert "you will not see this secret again" in html

    again = client.get(url(project, "created")).content.decode()
    assert secret not in again
    assert "already been shown" in again


def test_outsider_gets_404(client_for, outsider, project):
    client = client_for(outsider)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"display_name": "x"}).status_code == 404
    assert client.get(url(project, "created")).status_code == 404
    assert not AccessKey.objects.exists()


def test_viewer_cannot_create(client_for, viewer, project):
    client = client_for(viewer)
    assert client.get(url(project)).status_code == 403
    assert client.post(url(project), {"display_name": "x"}).status_code == 403
    assert client.get(url(project, "created")).status_code == 403
    assert not AccessKey.objects.exists()


def test_bad_input_gets_a_message_and_nothing_is_saved(client_for, member, project):
    client = client_for(member)
    services.access_key_create(project=project, display_name="taken")
    for name, message in [
        ("   ", "required"),
        ("a\u202eb", "bidirectional"),
        ("taken", "already exists"),
        ("x" * 256, "at most 255"),
    ]:
        response = client.post(url(project), {"display_name": name})
        assert response.status_code == 400
        assert message in response.content.decode(), name
    assert AccessKey.objects.count() == 1


def test_limit_reached_is_explained(client_for, member, project):
    for i in range(10):
        services.access_key_create(project=project, display_name=f"k{i}")
    response = client_for(member).post(url(project), {"display_name": "eleventh"})
    assert response.status_code == 400
    assert "Revoke one" in response.content.decode()


def test_csrf_is_required(client, member, project):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    assert csrf_client.post(url(project), {"display_name": "x"}).status_code == 403
    assert not AccessKey.objects.exists()
