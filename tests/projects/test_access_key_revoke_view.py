import pytest

from projects import services
from projects.models import AccessKey
from tests.factories import ProjectFactory


@pytest.fixture
def key(project):
    return services.access_key_create(project=project, display_name="Billing")[0]


def url(project, key):
    return f"/projects/{project.public_id}/keys/{key.key_id}/revoke/"


def test_confirmation_then_revoke(client_for, member, project, key):
    client = client_for(member)
    page = client.get(url(project, key))
    assert page.status_code == 200
    assert "Revoke access key “<bdi>Billing</bdi>”?" in page.content.decode()
    assert not AccessKey.objects.get(pk=key.pk).is_revoked
    response = client.post(url(project, key))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.public_id}/#access-keys")
    assert AccessKey.objects.get(pk=key.pk).is_revoked
    assert client.post(url(project, key)).status_code == 404  # already gone


def test_outsider_gets_404(client_for, outsider, project, key):
    client = client_for(outsider)
    assert client.get(url(project, key)).status_code == 404
    assert client.post(url(project, key)).status_code == 404
    assert not AccessKey.objects.get(pk=key.pk).is_revoked


def test_viewer_cannot_revoke(client_for, viewer, project, key):
    client = client_for(viewer)
    assert client.get(url(project, key)).status_code == 403
    assert client.post(url(project, key)).status_code == 403
    assert not AccessKey.objects.get(pk=key.pk).is_revoked


def test_key_of_another_project_is_404(client_for, admin_user, project, account):
    other = ProjectFactory(account=account)
    theirs, _ = services.access_key_create(project=other, display_name="theirs")
    client = client_for(admin_user)
    assert client.post(url(project, theirs)).status_code == 404
    assert client.get(f"/projects/{project.public_id}/keys/not-a-uuid/revoke/").status_code == 404
    assert not AccessKey.objects.get(pk=theirs.pk).is_revoked
