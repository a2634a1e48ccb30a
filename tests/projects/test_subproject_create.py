import re

from django.utils.html import escape

from projects.models import Project
from tests.factories import NASTY_NAME


def url(project):
    return f"/projects/{project.public_id}/subprojects/new/"


def token_of(body):
    return re.search(r'name="token" value="([^"]+)"', body).group(1)


def fresh_form(client, project, page=None):
    body = client.get(page or url(project)).content.decode()
    return {"name": "", "token": token_of(body)}


def test_page_without_javascript_has_name_and_create(client_for, member, project):
    response = client_for(member).get(url(project))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Create subproject</h1>" in body
    assert '<label for="id_name">Name</label>' in body
    assert ">CREATE</button>" in body


def test_create_puts_it_on_top_highlighted_with_the_service_api_note(client_for, member, project):
    client = client_for(member)
    form = fresh_form(client, project)
    response = client.post(url(project), {**form, "name": "  New customer  "}, follow=True)
    new = Project.objects.get(name="New customer")
    assert new.parent == project and new.created_by == member
    assert response.redirect_chain[-1][0] == (
        f"/projects/{project.public_id}/subprojects/?created={new.public_id}"
    )
    body = response.content.decode()
    assert "Subproject “New customer” created." in body
    assert 'class="is-new"' in body
    assert "create a corresponding Service API" in body


def test_the_dialog_is_on_the_subprojects_page(client_for, member, project):
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert '<dialog id="create-subproject-dialog"' in body
    assert f'action="/projects/{project.public_id}/subprojects/new/"' in body
    assert 'name="dialog" value="1"' in body


def test_a_replayed_form_creates_one_subproject(client_for, member, project):
    client = client_for(member)
    form = {**fresh_form(client, project), "name": "Once"}
    first = client.post(url(project), form)
    second = client.post(url(project), form)
    assert Project.objects.filter(name="Once").count() == 1
    assert first["Location"] == second["Location"]
    assert "?created=" in second["Location"]


def test_two_fresh_forms_create_two(client_for, member, project):
    client = client_for(member)
    for _ in range(2):
        client.post(url(project), {**fresh_form(client, project), "name": "Twice"})
    assert Project.objects.filter(name="Twice").count() == 2


def test_bad_name_keeps_the_typed_name_and_saves_nothing(client_for, member, project):
    client = client_for(member)
    form = fresh_form(client, project)
    response = client.post(url(project), {**form, "name": "bad\u202ename"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Name cannot contain a bidirectional control character (U+202E)." in body
    assert 'value="bad\u202ename"' in body
    assert not Project.objects.filter(parent=project).exists()
    # The same form, corrected, still works.
    client.post(url(project), {**form, "name": "good name"})
    assert Project.objects.filter(parent=project, name="good name").exists()


def test_errors_from_the_dialog_reopen_it_on_the_list(client_for, member, project):
    client = client_for(member)
    form = fresh_form(client, project, f"/projects/{project.public_id}/subprojects/")
    response = client.post(url(project), {**form, "name": "   ", "dialog": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-open-on-load" in body and "<h1>Subprojects</h1>" in body
    assert "Name cannot be empty." in body


def test_missing_token_is_refused(client_for, member, project):
    response = client_for(member).post(url(project), {"name": "x"})
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not Project.objects.filter(parent=project).exists()


def test_under_a_subproject_is_refused(client_for, member, subproject):
    client = client_for(member)
    response = client.post(url(subproject), {**fresh_form(client, subproject), "name": "x"})
    assert response.status_code == 400
    assert "A subproject cannot have subprojects" in response.content.decode()
    assert not Project.objects.filter(parent=subproject).exists()


def test_outsider_gets_404(client_for, outsider, project):
    client = client_for(outsider)
    assert client.get(url(project)).status_code == 404
    assert client.post(url(project), {"name": "x", "token": "a" * 32}).status_code == 404
    assert not Project.objects.filter(parent=project).exists()


def test_viewer_is_refused(client_for, viewer, project):
    client = client_for(viewer)
    assert client.get(url(project)).status_code == 403
    assert client.post(url(project), {"name": "x", "token": "a" * 32}).status_code == 403
    assert not Project.objects.filter(parent=project).exists()


def test_names_are_escaped(client_for, member, project):
    client = client_for(member)
    response = client.post(
        url(project), {**fresh_form(client, project), "name": NASTY_NAME}, follow=True
    )
    body = response.content.decode()
    assert Project.objects.get(parent=project).name == NASTY_NAME
    assert "<script>alert" not in body
    assert escape(NASTY_NAME) in body


def test_the_list_behind_a_reopened_dialog_filters_and_pages_the_list(
    client_for, member, project, subproject
):
    client = client_for(member)
    form = fresh_form(client, project, f"/projects/{project.public_id}/subprojects/")
    body = client.post(url(project), {**form, "name": "", "dialog": "1"}).content.decode()
    list_url = f"/projects/{project.public_id}/subprojects/"
    assert f'<form method="get" action="{list_url}" role="search"' in body
