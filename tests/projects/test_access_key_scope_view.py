"""Creating a scoped key in the dashboard, and its permissions on the key's row."""

import re

from projects.models import AccessKey


def url(project):
    return f"/projects/{project.public_id}/keys/new/"


def form_token(client, project):
    body = client.get(url(project)).content.decode()
    return re.search(r'name="token" value="([^"]+)"', body)[1]


def test_create_a_scoped_key(client_for, admin_user, project):
    client = client_for(admin_user)
    response = client.post(
        url(project),
        {
            "token": form_token(client, project),
            "display_name": "reader",
            "scope": "chosen",
            "permission_subprojects": "read",
            "permission_usage": "write",
        },
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    key = AccessKey.objects.get(display_name="reader")
    assert key.scope == "subprojects:read usage:write"
    page = client.get(f"/projects/{project.public_id}/").content.decode()
    assert "Subprojects: read · Usage: write" in page


def test_everything_is_the_default(client_for, admin_user, project):
    client = client_for(admin_user)
    client.post(
        url(project),
        {
            "token": form_token(client, project),
            "display_name": "all",
            "scope": "everything",
            "permission_usage": "read",
        },
    )
    assert AccessKey.objects.get(display_name="all").scope == ""


def test_chosen_without_any_permission_is_refused(client_for, admin_user, project):
    client = client_for(admin_user)
    response = client.post(
        url(project),
        {"token": form_token(client, project), "display_name": "none", "scope": "chosen"},
    )
    assert response.status_code == 400
    assert "Choose at least one permission" in response.content.decode()
    assert not AccessKey.objects.filter(display_name="none").exists()
