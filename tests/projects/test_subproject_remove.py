from django.utils.html import escape

from projects.models import Project
from tests.factories import NASTY_NAME, ProjectFactory


def url(project):
    return f"/projects/{project.public_id}/remove/"


def test_confirmation_names_the_subproject(client_for, member, subproject):
    response = client_for(member).get(url(subproject))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Remove subproject “<bdi>Taco Time</bdi>”?" in body
    assert subproject.public_id in body
    assert not Project.objects.get(pk=subproject.pk).is_removed


def test_remove_then_restore(client_for, member, project, subproject):
    client = client_for(member)
    response = client.post(url(subproject), follow=True)
    assert Project.objects.get(pk=subproject.pk).is_removed
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == (
        f"/projects/{project.public_id}/subprojects/?removed={subproject.public_id}"
    )
    assert "Subproject “<bdi>Taco Time</bdi>” removed." in body
    assert f'action="/projects/{subproject.public_id}/restore/"' in body
    # One notice, with its Restore: not a message besides it.
    assert body.count("removed. Its access keys no longer work") == 1
    assert 'class="message' not in body
    assert "<bdi>Taco Time</bdi></a>" not in body  # gone from the list

    response = client.post(f"/projects/{subproject.public_id}/restore/", follow=True)
    assert not Project.objects.get(pk=subproject.pk).is_removed
    assert "Subproject “Taco Time” restored." in response.content.decode()


def test_top_level_project_cannot_be_removed(client_for, admin_user, project):
    client = client_for(admin_user)
    assert "cannot be removed" in client.get(url(project)).content.decode()
    assert client.post(url(project)).status_code == 400
    assert not Project.objects.get(pk=project.pk).is_removed


def test_outsider_gets_404(client_for, outsider, subproject):
    client = client_for(outsider)
    assert client.get(url(subproject)).status_code == 404
    assert client.post(url(subproject)).status_code == 404
    assert client.post(f"/projects/{subproject.public_id}/restore/").status_code == 404
    assert not Project.objects.get(pk=subproject.pk).is_removed


def test_viewer_gets_403(client_for, viewer, project):
    sub = ProjectFactory(parent=project)
    client = client_for(viewer)
    assert client.get(url(sub)).status_code == 403
    assert client.post(url(sub)).status_code == 403
    assert not Project.objects.get(pk=sub.pk).is_removed
    gone = ProjectFactory(parent=project, removed=True)
    assert client.post(f"/projects/{gone.public_id}/restore/").status_code == 403
    assert Project.objects.get(pk=gone.pk).is_removed


def test_names_are_escaped(client_for, member, project):
    sub = ProjectFactory(parent=project, name=NASTY_NAME)
    body = client_for(member).get(url(sub)).content.decode()
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body
