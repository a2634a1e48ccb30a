"""The Service API step on a subproject's details page: shown until the user dismisses
it for that subproject (POST .../reminders/service-api/dismiss/), with a link to
SERVICE_API_URL."""

from django.test import Client

from projects.models import ReminderDismissal
from tests.factories import ProjectFactory


def details(client, project) -> str:
    return client.get(f"/projects/{project.public_id}/").content.decode()


def dismiss_url(project):
    return f"/projects/{project.public_id}/reminders/service-api/dismiss/"


def test_a_subprojects_details_say_to_create_a_service_api(client_for, member, subproject):
    body = details(client_for(member), subproject)
    assert "Next step: create a Service API" in body
    assert 'href="https://dashboard.sinch.com/sms/api/services" target="_blank"' in body
    assert f'action="{dismiss_url(subproject)}"' in body


def test_the_setting_can_name_the_subproject(client_for, member, subproject, settings):
    settings.SERVICE_API_URL = "https://example.com/services/new?project={project_id}"
    body = details(client_for(member), subproject)
    assert f'href="https://example.com/services/new?project={subproject.public_id}"' in body


def test_not_on_a_top_level_project(client_for, member, project):
    assert "create a Service API" not in details(client_for(member), project)


def test_dismissed_it_stays_hidden_for_that_user_and_subproject(
    client_for, member, viewer, project, subproject
):
    other = ProjectFactory(parent=project, name="Other customer")
    client = client_for(member)
    response = client.post(dismiss_url(subproject))
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{subproject.public_id}/"
    assert "Next step: create a Service API" not in details(client, subproject)
    assert "Next step: create a Service API" in details(client, other)
    client.post(dismiss_url(subproject))  # twice is fine
    assert ReminderDismissal.objects.count() == 1
    assert "Next step: create a Service API" in details(client_for(viewer), subproject)


def test_a_viewer_may_dismiss_it_for_themselves(client_for, viewer, subproject):
    client = client_for(viewer)
    assert client.post(dismiss_url(subproject)).status_code == 302
    assert "Next step: create a Service API" not in details(client, subproject)


def test_outsider_gets_404_and_get_is_not_allowed(client_for, outsider, member, subproject):
    assert client_for(outsider).post(dismiss_url(subproject)).status_code == 404
    assert client_for(member).get(dismiss_url(subproject)).status_code == 405
    assert not ReminderDismissal.objects.exists()


def test_csrf_is_required(member, subproject):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(dismiss_url(subproject)).status_code == 403
    assert not ReminderDismissal.objects.exists()


def test_the_new_rows_note_links_there_too(client_for, member, project, subproject):
    url = f"/projects/{project.public_id}/subprojects/?created={subproject.public_id}"
    body = client_for(member).get(url).content.decode()
    assert "create a corresponding Service API" in body
    assert 'href="https://dashboard.sinch.com/sms/api/services"' in body


def test_the_details_page_keeps_a_fixed_query_count(
    client_for, member, subproject, django_assert_num_queries
):
    client = client_for(member)
    details(client, subproject)
    # session, user, project, access keys, the reminder's dismissal, the spend limit's
    # flag (billing)
    with django_assert_num_queries(6):
        details(client, subproject)
