"""Removing several subprojects at once from the Subprojects page, behind one
confirmation that names how many (POST .../subprojects/remove/)."""

from django.test import Client
from django.utils.html import escape

from audit.models import AuditEvent
from projects.models import Project
from tests.factories import NASTY_NAME, ProjectFactory, bulk_subprojects


def url(project):
    return f"/projects/{project.public_id}/subprojects/remove/"


def three(project):
    return [ProjectFactory(parent=project, name=name) for name in ("Ann", "Bob", "Cid")]


def test_the_list_offers_the_selection_to_writers_only(client_for, member, viewer, project):
    subs = three(project)
    body = client_for(member).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert f'action="{url(project)}"' in body
    assert f'name="ids" value="{subs[0].public_id}" form="bulk-remove"' in body
    body = client_for(viewer).get(f"/projects/{project.public_id}/subprojects/").content.decode()
    assert 'name="ids"' not in body and "Remove selected" not in body


def test_the_confirmation_names_how_many_and_which(client_for, member, project):
    subs = three(project)
    response = client_for(member).post(url(project), {"ids": [s.public_id for s in subs[:2]]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Remove 2 subprojects?</h1>" in body
    assert "Ann" in body and "Bob" in body and "Cid" not in body
    assert ">Remove 2 subprojects</button>" in body
    assert not Project.objects.filter(removed_at__isnull=False).exists()


def test_confirming_removes_them_with_one_entry_each(client_for, member, project):
    subs = three(project)
    ids = [s.public_id for s in subs[:2]]
    response = client_for(member).post(url(project), {"ids": ids, "confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/projects/{project.public_id}/subprojects/"
    body = response.content.decode()
    assert "2 subprojects removed. Their access keys no longer work." in body
    assert set(Project.objects.removed().values_list("public_id", flat=True)) == set(ids)
    entries = AuditEvent.objects.filter(action="subproject.remove")
    assert sorted(entries.values_list("project_id", flat=True)) == sorted(ids)
    assert {e.actor_label for e in entries} == {member.email}
    assert "<strong>1 subproject</strong>" in body


def test_one_is_said_in_the_singular(client_for, member, project):
    sub = three(project)[0]
    body = client_for(member).post(url(project), {"ids": [sub.public_id]}).content.decode()
    assert "<h1>Remove 1 subproject?</h1>" in body


def test_nothing_selected_says_what_to_do(client_for, member, project):
    response = client_for(member).post(url(project), {}, follow=True)
    assert "Select the subprojects to remove first" in response.content.decode()


def test_more_than_100_is_refused_with_a_message(client_for, member, project):
    subs = bulk_subprojects(project, 101)
    response = client_for(member).post(
        url(project), {"ids": [s.public_id for s in subs], "confirm": "1"}, follow=True
    )
    assert "Select at most 100 subprojects at a time." in response.content.decode()
    assert not Project.objects.removed().exists()


def test_another_parents_subprojects_are_not_touched(client_for, member, project, account):
    other_parent = ProjectFactory(account=account)
    stranger = ProjectFactory(parent=other_parent, name="Not yours")
    response = client_for(member).post(
        url(project), {"ids": [stranger.public_id], "confirm": "1"}, follow=True
    )
    assert "Nothing was removed" in response.content.decode()
    assert not Project.objects.get(pk=stranger.pk).is_removed


def test_outsider_gets_404_and_viewer_403(client_for, outsider, viewer, project):
    sub = three(project)[0]
    data = {"ids": [sub.public_id], "confirm": "1"}
    assert client_for(outsider).post(url(project), data).status_code == 404
    assert client_for(viewer).post(url(project), data).status_code == 403
    assert not Project.objects.get(pk=sub.pk).is_removed


def test_get_is_not_allowed_and_csrf_is_required(member, project):
    sub = three(project)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(url(project)).status_code == 405
    response = client.post(url(project), {"ids": [sub.public_id], "confirm": "1"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert not Project.objects.get(pk=sub.pk).is_removed


def test_names_are_escaped(client_for, member, project):
    sub = ProjectFactory(parent=project, name=NASTY_NAME)
    body = client_for(member).post(url(project), {"ids": [sub.public_id]}).content.decode()
    assert "<script>alert" not in body and escape(NASTY_NAME) in body


def test_a_subproject_has_none_to_remove(client_for, member, project, subproject):
    response = client_for(member).post(
        url(subproject), {"ids": [subproject.public_id], "confirm": "1"}, follow=True
    )
    assert "This is a subproject: it has no subprojects to remove." in response.content.decode()
    assert not Project.objects.get(pk=subproject.pk).is_removed
