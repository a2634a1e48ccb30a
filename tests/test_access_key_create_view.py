import re

from django.contrib.sessions.models import Session

from projects import key_secrets, services
from projects.models import AccessKey


def url(project):
    return f"/projects/{project.public_id}/keys/new/"


def fresh_form(client, project, name):
    body = client.get(url(project)).content.decode()
    return {"display_name": name, "token": re.search(r'name="token" value="([^"]+)"', body)[1]}


def test_create_answers_with_the_secret_once(client_for, member, project):
    client = client_for(member)
    form = fresh_form(client, project, "CI")
    page = client.post(url(project), form)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    key = AccessKey.objects.get(project=project)
    assert key.display_name == "CI" and key.created_by == member
    html = page.content.decode()
    assert key.key_id in html
    secret = html.split("data-key-secret>")[1].split("<")[0]
    assert key_secrets.is_well_formed(secret)
    assert key_secrets.secret_matches(secret, key.secret_hash)
    assert f'data-copy="{secret}"' in html
    assert "you will not see this secret again" in html
    # Nowhere to fetch it from afterwards: the session never held it.
    assert all(secret not in repr(s.get_decoded()) for s in Session.objects.all())

    # A reload re-sends the same form: no second key, and the secret is not shown again.
    again = client.post(url(project), form)
    assert again.status_code == 200 and "no-store" in again["Cache-Control"]
    html = again.content.decode()
    assert secret not in html
    assert "This access key was already created" in html and key.key_id in html
    assert AccessKey.objects.filter(project=project).count() == 1


def test_two_fresh_forms_create_two_keys(client_for, member, project):
    client = client_for(member)
    client.post(url(project), fresh_form(client, project, "one"))
    client.post(url(project), fresh_form(client, project, "two"))
    assert AccessKey.objects.filter(project=project).count() == 2


def test_a_form_refused_for_its_name_can_be_sent_again(client_for, member, project):
    client = client_for(member)
    form = fresh_form(client, project, "   ")
    assert client.post(url(project), form).status_code == 400
    assert client.post(url(project), {**form, "display_name": "fixed"}).status_code == 200
    assert AccessKey.objects.get(project=project).display_name == "fixed"


def test_missing_token_is_refused(client_for, member, project):
    response = client_for(member).post(url(project), {"display_name": "x"})
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not AccessKey.objects.exists()


def test_outsider_gets_404(client_for, outsider, project):
    client = client_for(outsider)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"display_name": "x", "token": "a" * 32}).status_code == 404
    assert not AccessKey.objects.exists()


def test_viewer_cannot_create(client_for, viewer, project):
    client = client_for(viewer)
    assert client.get(url(project)).status_code == 403
    assert client.post(url(project), {"display_name": "x", "token": "a" * 32}).status_code == 403
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
        response = client.post(url(project), fresh_form(client, project, name))
        assert response.status_code == 400
        assert message in response.content.decode(), name
    assert AccessKey.objects.count() == 1


def test_limit_reached_is_explained(client_for, member, project):
    for i in range(10):
        services.access_key_create(project=project, display_name=f"k{i}")
    client = client_for(member)
    response = client.post(url(project), fresh_form(client, project, "eleventh"))
    assert response.status_code == 400
    assert "Revoke one" in response.content.decode()


def test_csrf_is_required(client, member, project):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    assert csrf_client.post(url(project), {"display_name": "x"}).status_code == 403
    assert not AccessKey.objects.exists()
