"""PATCH /api/v1/subprojects/{subprojectId}"""

import pytest

from projects import services
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def labelled(project):
    return ProjectFactory(parent=project, name="Taco Time", labels={"region": "US"})


def url(project):
    return f"/api/v1/subprojects/{project.public_id}"


def test_renames_and_keeps_labels(client, project, labelled):
    response = call(client, "patch", url(labelled), key_header(project), {"displayName": " Tacos "})
    assert response.status_code == 200
    assert response.json()["displayName"] == "Tacos"
    assert response.json()["labels"] == {"region": "US"}
    labelled.refresh_from_db()
    assert labelled.name == "Tacos" and labelled.labels == {"region": "US"}


def test_replaces_labels_and_keeps_the_name(client, project, labelled):
    body = {"labels": {"region": "UK-London"}, "parentProjectId": "ignored"}
    response = call(client, "patch", url(labelled), key_header(project), body)
    assert response.status_code == 200
    labelled.refresh_from_db()
    assert labelled.name == "Taco Time" and labelled.labels == {"region": "UK-London"}
    assert response.json()["updateTime"] >= response.json()["createTime"]


def test_empty_labels_clear_them(client, project, labelled):
    call(client, "patch", url(labelled), key_header(project), {"labels": {}})
    labelled.refresh_from_db()
    assert labelled.labels == {}


def test_an_empty_body_changes_nothing(client, project, labelled):
    response = call(client, "patch", url(labelled), key_header(project), {})
    assert response.status_code == 200 and response.json()["displayName"] == "Taco Time"


def test_subproject_key_may_update_itself_only(client, project, labelled):
    sibling = ProjectFactory(parent=project, name="Sibling")
    auth = key_header(labelled)
    assert call(client, "patch", url(labelled), auth, {"displayName": "Mine"}).status_code == 200
    response = call(client, "patch", url(sibling), auth, {"displayName": "Yours"})
    assert error_of(response)[:2] == (404, "NOT_FOUND")
    sibling.refresh_from_db()
    assert sibling.name == "Sibling"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"displayName": None}, "displayName"),
        ({"displayName": ""}, "displayName"),
        ({"displayName": "x" * 256}, "displayName"),
        ({"displayName": "bad\x07bell"}, "displayName"),
        ({"labels": None}, "labels"),
        ({"labels": {"k": ""}}, "labels"),
        ({"labels": {"k": ["v"]}}, "labels.k"),
        ({"name": "Old field"}, "name"),
    ],
)
def test_bad_bodies_name_the_field_and_change_nothing(client, project, labelled, body, field):
    response = call(client, "patch", url(labelled), key_header(project), body)
    code, status, message = error_of(response)
    assert (code, status) == (400, "INVALID_ARGUMENT") and message.startswith(f"{field}:")
    labelled.refresh_from_db()
    assert labelled.name == "Taco Time" and labelled.labels == {"region": "US"}


def test_a_deleted_subproject_must_be_restored_first(client, project, labelled):
    services.subproject_remove(subproject=labelled)
    response = call(client, "patch", url(labelled), key_header(project), {"displayName": "X"})
    assert error_of(response)[:2] == (400, "FAILED_PRECONDITION")


def test_out_of_scope_is_404(client, project):
    stranger = ProjectFactory(parent=ProjectFactory())
    response = call(client, "patch", url(stranger), key_header(project), {"displayName": "X"})
    assert error_of(response)[:2] == (404, "NOT_FOUND")
