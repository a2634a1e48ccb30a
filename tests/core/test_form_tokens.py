"""One-time form tokens (core/form_tokens.py) on both create forms: a first POST that
fails with a server error created nothing, so the same form sent again creates (it used
to answer "being created" for 24 hours); after that, the same form is a replay."""

import re

import pytest

from projects import services
from projects.models import AccessKey, Project

FORMS = {
    "subproject": ("subprojects/new/", "subproject_create", {"name": "Taco Time"}),
    "access key": ("keys/new/", "access_key_create", {"display_name": "CI"}),
}


def created(kind, project):
    if kind == "subproject":
        return Project.objects.filter(parent=project).count()
    return AccessKey.objects.filter(project=project).count()


@pytest.mark.parametrize("kind", FORMS)
def test_a_server_error_leaves_the_form_usable(kind, client_for, member, project, monkeypatch):
    path, service, fields = FORMS[kind]
    url = f"/projects/{project.public_id}/{path}"
    client = client_for(member)
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
    form = {**fields, "token": token}
    real = getattr(services, service)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, service, broken)
    client.raise_request_exception = False
    assert client.post(url, form).status_code == 500
    monkeypatch.setattr(services, service, real)
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    assert "being created" not in response.content.decode()
    assert created(kind, project) == 1
    client.post(url, form)  # now a replay
    assert created(kind, project) == 1
