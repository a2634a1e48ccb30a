"""GET /api/v1/subprojects/{subprojectId}"""

import pytest

from projects import services
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


def url(project):
    return f"/api/v1/subprojects/{project.public_id}"


def test_parent_key_reaches_every_subproject(client, project, subproject):
    sibling = ProjectFactory(parent=project, name="Burrito Barn", labels={"k": "v"})
    auth = key_header(project)
    for each in (subproject, sibling):
        response = call(client, "get", url(each), auth)
        assert response.status_code == 200
        body = response.json()
        assert body["subprojectId"] == each.public_id
        assert body["displayName"] == each.name and body["labels"] == each.labels
        assert body["parentProjectId"] == project.public_id and body["deleted"] is False


def test_subproject_key_reaches_only_itself(client, project, subproject):
    sibling = ProjectFactory(parent=project)
    auth = key_header(subproject)
    assert call(client, "get", url(subproject), auth).status_code == 200
    unknown = error_of(call(client, "get", "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV", auth))
    assert unknown[:2] == (404, "NOT_FOUND")
    for other in (sibling, project):
        assert error_of(call(client, "get", url(other), auth))[:2] == unknown[:2]


def test_another_accounts_subproject_is_404(client, project):
    stranger = ProjectFactory(parent=ProjectFactory())
    response = call(client, "get", url(stranger), key_header(project))
    assert error_of(response)[:2] == (404, "NOT_FOUND")


def test_a_top_level_project_is_not_a_subproject(client, project):
    response = call(client, "get", url(project), key_header(project))
    assert error_of(response)[:2] == (404, "NOT_FOUND")


def test_removed_subproject_shows_deleted_to_the_parent_key(client, project, subproject):
    own = key_header(subproject)
    services.subproject_remove(subproject=subproject)
    body = call(client, "get", url(subproject), key_header(project)).json()
    assert body["deleted"] is True
    assert error_of(call(client, "get", url(subproject), own))[:2] == (401, "UNAUTHENTICATED")


@pytest.mark.parametrize("bad_id", ["x", "01ARZ3NDEKTSV4RRFFQ69G5FA!", "a" * 300])
def test_malformed_ids_are_404_without_a_query(client, project, bad_id, django_assert_num_queries):
    auth = key_header(project)
    call(client, "get", "/api/v1/subprojects/01ARZ3NDEKTSV4RRFFQ69G5FAV", auth)
    with django_assert_num_queries(1):  # the key only
        response = call(client, "get", f"/api/v1/subprojects/{bad_id}", auth)
    assert error_of(response)[:2] == (404, "NOT_FOUND")


def test_fixed_number_of_queries(client, project, subproject, django_assert_num_queries):
    auth = key_header(project)
    call(client, "get", url(subproject), auth)  # records the key's last use
    # The key and the subproject it names, in one round trip.
    with django_assert_num_queries(1):
        assert call(client, "get", url(subproject), auth).status_code == 200


def test_out_of_scope_and_removed_targets_cost_no_second_query(
    client, project, subproject, django_assert_num_queries
):
    auth = key_header(project)
    call(client, "get", url(subproject), auth)  # records the key's last use
    stranger = ProjectFactory(parent=ProjectFactory())
    with django_assert_num_queries(1):
        response = call(client, "get", url(stranger), auth)
    assert error_of(response)[:2] == (404, "NOT_FOUND")
    services.subproject_remove(subproject=subproject)
    with django_assert_num_queries(1):  # a removed subproject is still read (deleted: true)
        assert call(client, "get", url(subproject), auth).json()["deleted"] is True


def test_a_subprojects_own_key_reads_itself_with_its_parent_id(
    client, project, subproject, django_assert_num_queries
):
    auth = key_header(subproject)
    call(client, "get", url(subproject), auth)  # records the key's last use
    # The key, its subproject and the parent (read for its suspension), in one query.
    with django_assert_num_queries(1):
        response = call(client, "get", url(subproject), auth)
    assert response.json()["parentProjectId"] == project.public_id
