"""GET /api/v1/projects/{projectId}/auditEvents: keys in scope, newest first, paginated."""

from core.actors import Actor, Kind, Source
from projects import services
from tests.factories import ProjectFactory, bulk_subprojects
from tests.support.api_client import call, error_of


def url(project, query=""):
    return f"/api/v1/projects/{project.public_id}/auditEvents{query}"


def test_lists_the_parents_entries_and_its_subprojects_newest_first(
    client, project, subproject, project_key
):
    key, auth = project_key  # its creation is the first entry
    services.project_update(project=subproject, name="Renamed", actor=Actor.for_command("x"))
    call(client, "delete", f"/api/v1/subprojects/{subproject.public_id}", auth)
    response = call(client, "get", url(project), auth)
    assert response.status_code == 200
    body = response.json()
    assert body["nextPageToken"] == ""
    assert [e["action"] for e in body["auditEvents"]] == [
        "subproject.remove",
        "subproject.rename",
        "access_key.create",
    ]
    removed = body["auditEvents"][0]
    assert removed["actor"] == {"type": "access_key", "id": key.key_id}
    assert (removed["source"], removed["clientAddress"]) == ("api", "127.0.0.1")
    assert removed["projectId"] == removed["targetId"] == subproject.public_id
    assert removed["time"].endswith("Z")
    assert removed["changes"]["removed_at"]["before"] is None
    renamed = body["auditEvents"][1]
    assert renamed["actor"] == {"type": "command", "id": "x"}
    assert renamed["changes"] == {"name": {"before": "Taco Time", "after": "Renamed"}}
    created = body["auditEvents"][2]
    assert created["targetId"] == key.key_id and created["projectId"] == project.public_id


def test_a_subproject_reads_only_its_own(client, project, subproject, subproject_key):
    services.project_update(project=project, name="Parent renamed")
    sibling = services.subproject_create(parent=project, name="Sibling")
    services.project_update(project=subproject, name="Mine renamed")
    _, auth = subproject_key
    body = call(client, "get", url(subproject), auth).json()
    assert [e["action"] for e in body["auditEvents"]] == [
        "subproject.rename",
        "access_key.create",
    ]
    # The parent and a sibling are out of its scope: the list's 403, as for unknown.
    for other in (project, sibling):
        status, word, _ = error_of(call(client, "get", url(other), auth))
        assert (status, word) == (403, "PERMISSION_DENIED")


def test_the_parents_key_reads_one_subproject(client, project, subproject, project_key):
    services.project_update(project=project, name="Parent renamed")
    services.project_update(project=subproject, name="Sub renamed")
    body = call(client, "get", url(subproject), project_key[1]).json()
    assert [e["action"] for e in body["auditEvents"]] == ["subproject.rename"]


def test_outsiders_and_unknown_ids_get_403(client, project_key):
    stranger = ProjectFactory()
    for target in (stranger.public_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope"):
        response = call(client, "get", f"/api/v1/projects/{target}/auditEvents", project_key[1])
        assert error_of(response)[:2] == (403, "PERMISSION_DENIED")


def test_operators_are_not_named(client, project, project_key, operator):
    actor = Actor(Kind.USER, str(operator.pk), Source.ADMIN, "10.0.0.7", operator)
    services.project_update(project=project, name="Fixed by support", actor=actor)
    event = call(client, "get", url(project), project_key[1]).json()["auditEvents"][0]
    assert event["actor"] == {"type": "operator", "id": ""}
    assert event["clientAddress"] == ""
    assert operator.email not in str(event)


def test_pages_visit_every_entry_once(client, project, project_key):
    subs = bulk_subprojects(project, 7)
    for sub in subs:
        services.project_update(project=sub, name=f"{sub.name} renamed")
    seen, token = [], None
    while True:
        query = "?pageSize=3" + (f"&pageToken={token}" if token else "")
        body = call(client, "get", url(project, query), project_key[1]).json()
        assert len(body["auditEvents"]) <= 3
        seen += [e["targetId"] for e in body["auditEvents"]]
        token = body["nextPageToken"]
        if not token:
            break
    assert len(seen) == 8 and len(set(seen)) == 8  # 7 renames and the key's creation


def test_bad_paging_is_400(client, project, project_key):
    for query in ("?pageSize=0", "?pageSize=1001", "?pageToken=forged"):
        status, word, _ = error_of(call(client, "get", url(project, query), project_key[1]))
        assert (status, word) == (400, "INVALID_ARGUMENT")


def test_a_token_belongs_to_its_list(client, project, subproject, project_key):
    for name in ("a", "b"):
        services.project_update(project=subproject, name=name)
    body = call(client, "get", url(project, "?pageSize=1"), project_key[1]).json()
    replay = call(
        client, "get", url(subproject, f"?pageToken={body['nextPageToken']}"), project_key[1]
    )
    assert error_of(replay)[:2] == (400, "INVALID_ARGUMENT")


def test_a_fixed_number_of_queries(client, project, project_key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert call(client, "get", url(project), project_key[1]).status_code == 200
        return len(ctx.captured_queries)

    count()  # the key's first use records last_used_at
    few = count()
    for sub in bulk_subprojects(project, 150):
        services.project_update(project=sub, labels={"n": "1"})
    assert count() == few == 2  # the key, the page
