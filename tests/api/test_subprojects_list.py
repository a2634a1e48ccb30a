"""GET /api/v1/projects/{parentProjectId}/subprojects"""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects import services
from projects.models import Project
from tests.factories import ProjectFactory
from tests.support.api_client import call, error_of, key_header


@pytest.fixture
def parent_auth(project):
    return key_header(project)


def url(parent, query=""):
    return f"/api/v1/projects/{parent.public_id}/subprojects{query}"


def bulk_subprojects(parent, count, start=0):
    return Project.objects.bulk_create(
        [
            Project(account_id=parent.account_id, parent=parent, name=f"Customer {start + i}")
            for i in range(count)
        ],
        batch_size=500,
    )


def test_lists_newest_first(client, project, parent_auth):
    older = ProjectFactory(parent=project, name="Older", labels={"tier": "gold"})
    newer = ProjectFactory(parent=project, name="Newer")
    Project.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    response = call(client, "get", url(project), parent_auth)
    assert response.status_code == 200
    body = response.json()
    assert [s["subprojectId"] for s in body["subprojects"]] == [newer.public_id, older.public_id]
    assert body["nextPageToken"] == ""
    assert body["subprojects"][1]["labels"] == {"tier": "gold"}
    assert body["subprojects"][1]["parentProjectId"] == project.public_id


def test_fixed_number_of_queries(client, project, parent_auth, django_assert_num_queries):
    bulk_subprojects(project, 300)
    call(client, "get", url(project), parent_auth)  # records the key's last use
    # the key with its project (which is the parent here), one page
    with django_assert_num_queries(2):
        first = call(client, "get", url(project, "?pageSize=1000"), parent_auth)
    assert len(first.json()["subprojects"]) == 300
    token = call(client, "get", url(project, "?pageSize=100"), parent_auth).json()["nextPageToken"]
    with django_assert_num_queries(2):
        call(client, "get", url(project, f"?pageSize=100&pageToken={token}"), parent_auth)


def test_pagination_visits_each_once_while_rows_are_added(client, project, parent_auth):
    existing = bulk_subprojects(project, 2500)
    # Equal creation times are common with bulk inserts: the ID breaks the tie.
    tied = [p.pk for p in existing[1000:1300]]
    Project.objects.filter(pk__in=tied).update(created_at=timezone.now() - timedelta(hours=1))
    seen = []
    token = ""
    pages = 0
    while True:
        query = f"?pageSize=100&pageToken={token}" if token else "?pageSize=100"
        body = call(client, "get", url(project, query), parent_auth).json()
        seen += [s["subprojectId"] for s in body["subprojects"]]
        pages += 1
        # Newer subprojects arrive between pages: they must not show up later on.
        bulk_subprojects(project, 7, start=10_000 + pages * 7)
        token = body["nextPageToken"]
        if not token:
            break
    assert pages == 25
    assert len(seen) == len(set(seen)) == 2500
    assert set(seen) == {p.public_id for p in existing}


def test_page_size_default_and_bounds(client, project, parent_auth):
    bulk_subprojects(project, 101)
    body = call(client, "get", url(project), parent_auth).json()
    assert len(body["subprojects"]) == 100 and body["nextPageToken"]
    for bad in ("0", "1001", "-1", "ten", "1.5"):
        response = call(client, "get", url(project, f"?pageSize={bad}"), parent_auth)
        code, status, message = error_of(response)
        assert (code, status) == (400, "INVALID_ARGUMENT") and "pageSize" in message


def test_page_tokens_are_tamper_proof_and_bound_to_the_listing(client, project, parent_auth):
    bulk_subprojects(project, 3)
    token = call(client, "get", url(project, "?pageSize=1"), parent_auth).json()["nextPageToken"]
    for query in (
        f"?pageSize=1&pageToken={token[:-2]}xx",
        "?pageToken=garbage",
        f"?pageSize=1&pageToken={token}&showDeleted=true",
    ):
        code, status, message = error_of(call(client, "get", url(project, query), parent_auth))
        assert (code, status) == (400, "INVALID_ARGUMENT") and "pageToken" in message


def test_show_deleted(client, project, parent_auth):
    alive = ProjectFactory(parent=project)
    gone = ProjectFactory(parent=project)
    services.subproject_remove(subproject=gone)
    default = call(client, "get", url(project), parent_auth).json()["subprojects"]
    assert [s["subprojectId"] for s in default] == [alive.public_id]
    everything = call(client, "get", url(project, "?showDeleted=true"), parent_auth).json()
    deleted = {s["subprojectId"]: s["deleted"] for s in everything["subprojects"]}
    assert deleted == {alive.public_id: False, gone.public_id: True}
    response = call(client, "get", url(project, "?showDeleted=maybe"), parent_auth)
    assert error_of(response)[:2] == (400, "INVALID_ARGUMENT")


def test_out_of_scope_and_unknown_parents_get_the_same_403(client, project, subproject):
    other = ProjectFactory()
    ProjectFactory(parent=other)
    answers = []
    for auth, parent_id in (
        (key_header(project), other.public_id),
        (key_header(project, "second"), "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        (key_header(subproject), project.public_id),  # a subproject key, its parent
    ):
        response = call(client, "get", f"/api/v1/projects/{parent_id}/subprojects", auth)
        answers.append(error_of(response))
    assert answers[0][:2] == (403, "PERMISSION_DENIED")
    assert answers[0] == answers[1] == answers[2]


def test_a_subproject_id_is_not_a_listable_parent(client, project, subproject):
    response = call(client, "get", url(subproject), key_header(project))
    assert error_of(response)[:2] == (403, "PERMISSION_DENIED")
