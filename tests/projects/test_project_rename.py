from django.utils.html import escape

from projects.models import Project
from tests.factories import NASTY_NAME


def url(project):
    return f"/projects/{project.public_id}/rename/"


def test_rename(client_for, member, subproject):
    response = client_for(member).post(url(subproject), {"name": "  Taco Town "}, follow=True)
    subproject.refresh_from_db()
    assert subproject.name == "Taco Town"
    body = response.content.decode()
    assert "Renamed to “Taco Town”." in body
    assert "<bdi>Acme Production</bdi> &gt; <bdi>Taco Town</bdi>" in body


def test_bad_name_is_refused_with_a_message(client_for, member, subproject):
    response = client_for(member).post(url(subproject), {"name": "x" * 256})
    assert response.status_code == 400
    assert "Name can be at most 255 characters (it has 256)." in response.content.decode()
    subproject.refresh_from_db()
    assert subproject.name == "Taco Time"


def test_empty_name_is_refused(client_for, member, subproject):
    response = client_for(member).post(url(subproject), {"name": "  "})
    assert response.status_code == 400
    assert "Name cannot be empty." in response.content.decode()


def test_get_is_not_allowed(client_for, member, subproject):
    assert client_for(member).get(url(subproject)).status_code == 405


def test_outsider_gets_404(client_for, outsider, subproject):
    assert client_for(outsider).post(url(subproject), {"name": "Mine"}).status_code == 404
    assert Project.objects.get(pk=subproject.pk).name == "Taco Time"


def test_viewer_gets_403(client_for, viewer, subproject):
    assert client_for(viewer).post(url(subproject), {"name": "Mine"}).status_code == 403
    assert Project.objects.get(pk=subproject.pk).name == "Taco Time"


def test_names_are_escaped(client_for, member, subproject):
    body = (
        client_for(member).post(url(subproject), {"name": NASTY_NAME}, follow=True).content.decode()
    )
    assert Project.objects.get(pk=subproject.pk).name == NASTY_NAME
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body
