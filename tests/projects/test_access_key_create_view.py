import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from core import credentials
from projects import services
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
    assert credentials.is_well_formed(secret)
    assert credentials.secret_matches(secret, key.secret_hash)
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


def test_the_form_offers_expiry_choices_never_first(client_for, member, project):
    html = client_for(member).get(url(project)).content.decode()
    select = html.split('<select name="expires"')[1].split("</select>")[0]
    labels = re.findall(r">([^<]+)</option>", select)
    assert labels == ["Never", "In 7 days", "In 30 days", "In 90 days", "In 1 year"]
    assert re.search(r'<option value="" selected>Never</option>', select)


@pytest.mark.parametrize("days", [7, 30, 90, 365])
def test_an_expiry_is_counted_from_now(client_for, member, project, days):
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    client = client_for(member)
    before = timezone.now()
    page = client.post(url(project), {**fresh_form(client, project, "CI"), "expires": str(days)})
    after = timezone.now()
    assert page.status_code == 200
    key = AccessKey.objects.get(project=project)
    assert before + timedelta(days=days) <= key.expires_at <= after + timedelta(days=days)
    local = key.expires_at.astimezone(ZoneInfo("Asia/Tokyo"))
    html = page.content.decode()
    assert f'Expires <time datetime="{local.isoformat()}" title="Asia/Tokyo">' in html
    assert f"{local.day} {local:%b %Y, %H:%M} JST</time>" in html
    assert "Never expires" not in html


def test_never_is_the_default(client_for, member, project):
    client = client_for(member)
    page = client.post(url(project), fresh_form(client, project, "CI"))
    assert page.status_code == 200 and "Never expires" in page.content.decode()
    assert AccessKey.objects.get(project=project).expires_at is None
    page = client.post(url(project), {**fresh_form(client, project, "CD"), "expires": ""})
    assert page.status_code == 200 and "Never expires" in page.content.decode()
    assert AccessKey.objects.get(display_name="CD").expires_at is None


def test_a_bad_expiry_choice_is_refused(client_for, member, project):
    client = client_for(member)
    for choice in ("1", "-7", "0", "forever", "7.5"):
        form = {**fresh_form(client, project, "CI"), "expires": choice}
        response = client.post(url(project), form)
        assert response.status_code == 400, choice
        assert "Select a valid choice" in response.content.decode(), choice
    assert not AccessKey.objects.exists()
    # The token was not used up: the same form, corrected, creates the key.
    assert client.post(url(project), {**form, "expires": "30"}).status_code == 200
    assert AccessKey.objects.get(project=project).expires_at is not None


def test_the_services_expiry_error_shows_on_the_field(client_for, member, project, monkeypatch):
    from projects.forms import AccessKeyForm

    monkeypatch.setattr(AccessKeyForm, "expires_at", lambda self, now: now - timedelta(days=1))
    client = client_for(member)
    response = client.post(url(project), {**fresh_form(client, project, "CI"), "expires": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_expires_error">The expiry must be in the future.' in html
    assert not AccessKey.objects.exists()


def test_csrf_is_required(client, member, project):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    assert csrf_client.post(url(project), {"display_name": "x"}).status_code == 403
    assert not AccessKey.objects.exists()


def test_the_form_focuses_its_name(client_for, member, project):
    body = client_for(member).get(f"/projects/{project.public_id}/keys/new/").content.decode()
    field = body[body.index('name="display_name"') - 200 : body.index('name="display_name"') + 200]
    assert "autofocus" in field
