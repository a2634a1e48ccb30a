"""The labels editor: rows of name and value (label_key, label_value) sent by the
details page's editor, each error on its row; the text box (labels) without JavaScript."""

from projects.models import Project
from tests.factories import ProjectFactory


def url(project):
    return f"/projects/{project.public_id}/labels/"


def rows(*pairs):
    return {"label_key": [k for k, _ in pairs], "label_value": [v for _, v in pairs]}


def test_the_editor_is_sent_with_the_saved_labels_and_an_empty_row(client_for, member, project):
    sub = ProjectFactory(parent=project, labels={"region": "EU", "tier": "gold"})
    body = client_for(member).get(f"/projects/{sub.public_id}/").content.decode()
    assert '<fieldset class="labels-editor" data-labels-editor disabled hidden>' in body
    assert body.count('name="label_key"') == 4  # two labels, one empty row, the template
    assert 'name="label_key" value="region"' in body and 'name="label_value" value="EU"' in body
    # The text box, for browsers without JavaScript, holds the same labels.
    assert "region=EU\ntier=gold</textarea>" in body


def test_rows_are_saved_and_empty_rows_dropped(client_for, member, project):
    sub = ProjectFactory(parent=project, labels={"old": "x"})
    data = rows((" region ", " US-Northwest "), ("", ""), ("industry", "restaurant"))
    response = client_for(member).post(url(sub), data, follow=True)
    assert "Labels saved." in response.content.decode()
    assert Project.objects.get(pk=sub.pk).labels == {
        "region": "US-Northwest",
        "industry": "restaurant",
    }


def test_no_rows_left_clears_the_labels(client_for, member, project):
    sub = ProjectFactory(parent=project, labels={"old": "x"})
    client_for(member).post(url(sub), rows(("", "")))
    assert Project.objects.get(pk=sub.pk).labels == {}


def test_each_error_is_on_its_row_and_nothing_is_saved(client_for, member, project):
    sub = ProjectFactory(parent=project, labels={"keep": "me"})
    data = rows(("region", "EU"), ("", "orphan"), ("region", "US"), ("ok", "bad\u202etext"))
    response = client_for(member).post(url(sub), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Some labels need a fix: see the rows marked below." in body
    assert '<p class="error label-error" id="label-row-2-error">Give this label a name' in body
    assert (
        '<p class="error label-error" id="label-row-3-error">The label “region” appears twice'
        in body
    )
    assert 'id="label-row-4-error">The value of label “ok” cannot contain' in body
    assert 'id="label-row-1-error"' not in body
    # What was typed comes back, marked where it is wrong.
    assert 'name="label_value" value="orphan" aria-label="Label value"' in body
    assert 'aria-invalid="true" aria-describedby="label-row-2-error"' in body
    assert Project.objects.get(pk=sub.pk).labels == {"keep": "me"}


def test_the_text_box_still_works_without_javascript(client_for, member, project):
    sub = ProjectFactory(parent=project)
    client_for(member).post(url(sub), {"labels": "a=1\nb=2"})
    assert Project.objects.get(pk=sub.pk).labels == {"a": "1", "b": "2"}
    response = client_for(member).post(url(sub), {"labels": "no equals sign"})
    assert response.status_code == 400
    assert "Line 1: write each label as name=value." in response.content.decode()


def test_a_viewer_gets_403(client_for, viewer, project):
    sub = ProjectFactory(parent=project)
    assert client_for(viewer).post(url(sub), rows(("a", "b"))).status_code == 403
    assert Project.objects.get(pk=sub.pk).labels == {}
