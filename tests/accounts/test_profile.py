"""The profile page (/accounts/profile/): the user's time zone."""

from django.test import Client

from audit.models import AuditEvent


def test_shows_the_zone_and_the_time_in_it(client_for, member):
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    response = client_for(member).get("/accounts/profile/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Asia/Tokyo" list="time-zones"' in body or (
        'list="time-zones"' in body and 'value="Asia/Tokyo"' in body
    )
    assert " JST</time>" in body


def test_choosing_a_zone_saves_it_and_records_it(client_for, member):
    response = client_for(member).post(
        "/accounts/profile/", {"time_zone": "Europe/Stockholm"}, follow=True
    )
    assert "Times are now shown in Europe/Stockholm." in response.content.decode()
    member.refresh_from_db()
    assert member.time_zone == "Europe/Stockholm"
    entry = AuditEvent.objects.get(action="user.time_zone")
    assert entry.changes == {"time_zone": {"before": "UTC", "after": "Europe/Stockholm"}}
    assert entry.actor_label == member.email and entry.source == "dashboard"


def test_an_unknown_zone_is_refused_with_a_message(client_for, member):
    response = client_for(member).post("/accounts/profile/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone we know" in response.content.decode()
    member.refresh_from_db()
    assert member.time_zone == "UTC"
    assert not AuditEvent.objects.filter(action="user.time_zone").exists()


def test_the_same_zone_again_changes_nothing(client_for, member):
    client_for(member).post("/accounts/profile/", {"time_zone": "UTC"})
    assert not AuditEvent.objects.filter(action="user.time_zone").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_csrf_is_required(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/accounts/profile/", {"time_zone": "Asia/Tokyo"}).status_code == 403
    member.refresh_from_db()
    assert member.time_zone == "UTC"


def test_every_page_links_to_it(client_for, member, project):
    body = client_for(member).get(f"/projects/{project.public_id}/").content.decode()
    assert 'href="/accounts/profile/">Profile and time zone</a>' in body
    assert "Times in UTC" in body


def test_the_zone_is_found_by_typing(client_for, member):
    """A text field with every zone as a suggestion (searchable as one types), not a
    select of 400 entries."""
    body = client_for(member).get("/accounts/profile/").content.decode()
    assert '<select name="time_zone"' not in body
    assert 'list="time-zones"' in body
    datalist = body[body.index('<datalist id="time-zones">') : body.index("</datalist>")]
    assert datalist.count("<option ") > 300 and '<option value="Europe/Berlin">' in datalist
