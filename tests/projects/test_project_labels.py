from projects.models import Project


def url(project):
    return f"/projects/{project.public_id}/labels/"


def labels(project):
    return Project.objects.get(pk=project.pk).labels


def test_save_labels(client_for, member, subproject):
    text = "region = US-Northwest\r\n\r\nindustry=restaurant\nnote=a=b"
    response = client_for(member).post(url(subproject), {"labels": text}, follow=True)
    assert "Labels saved." in response.content.decode()
    assert labels(subproject) == {
        "region": "US-Northwest",
        "industry": "restaurant",
        "note": "a=b",
    }


def test_empty_text_clears_labels(client_for, member, project):
    sub = Project.objects.create(
        account=project.account, parent=project, name="x", labels={"a": "b"}
    )
    client_for(member).post(url(sub), {"labels": ""})
    assert labels(sub) == {}


def test_line_without_equals_is_refused(client_for, member, subproject):
    response = client_for(member).post(url(subproject), {"labels": "ok=1\nbroken"})
    assert response.status_code == 400
    assert "Line 2: write each label as name=value." in response.content.decode()
    assert labels(subproject) == {}


def test_duplicate_and_empty_parts_are_refused(client_for, member, subproject):
    client = client_for(member)
    response = client.post(url(subproject), {"labels": "a=1\na=2"})
    assert "Line 2: the label “a” appears twice." in response.content.decode()
    response = client.post(url(subproject), {"labels": "a="})
    assert response.status_code == 400
    assert "The value of label “a” cannot be empty." in response.content.decode()
    assert labels(subproject) == {}


def test_outsider_gets_404(client_for, outsider, subproject):
    assert client_for(outsider).post(url(subproject), {"labels": "a=b"}).status_code == 404
    assert labels(subproject) == {}


def test_viewer_gets_403(client_for, viewer, subproject):
    assert client_for(viewer).post(url(subproject), {"labels": "a=b"}).status_code == 403
    assert labels(subproject) == {}
