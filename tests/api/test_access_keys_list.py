from projects import services
from tests.factories import ProjectFactory


def url(project):
    return f"/api/v1/projects/{project.public_id}/accessKeys"


def test_lists_active_keys_oldest_first(client, project, project_key):
    key, header = project_key
    services.access_key_create(project=project, display_name="second")
    revoked, _ = services.access_key_create(project=project, display_name="gone")
    services.access_key_revoke(key=revoked)
    response = client.get(url(project), headers={"Authorization": header})
    assert response.status_code == 200
    body = response.json()
    assert [k["displayName"] for k in body["accessKeys"]] == ["automation", "second"]
    assert body["nextPageToken"] == ""
    first = body["accessKeys"][0]
    contract = {"accessKeyId", "displayName", "projectId", "createTime", "updateTime"}
    # Our additions: the key's activity (this request is its first use).
    assert set(first) == contract | {"lastUseTime", "lastUseAddress", "requestsLast30Days"}
    assert first["requestsLast30Days"] == 1 and first["lastUseAddress"] == "127.0.0.1"
    assert first["lastUseTime"].endswith("Z")
    assert body["accessKeys"][1]["lastUseTime"] is None
    assert first["accessKeyId"] == key.key_id and first["projectId"] == project.public_id
    assert first["createTime"].endswith("Z")
    assert "secret" not in response.content.decode().lower()


def test_pages_follow_each_other(client, project, project_key):
    _, header = project_key
    for i in range(6):
        services.access_key_create(project=project, display_name=f"k{i}")
    names, token = [], None
    for _ in range(4):
        params = {"pageSize": 2, **({"pageToken": token} if token else {})}
        body = client.get(url(project), params, headers={"Authorization": header}).json()
        names += [k["displayName"] for k in body["accessKeys"]]
        token = body["nextPageToken"]
        if not token:
            break
    assert names == ["automation", "k0", "k1", "k2", "k3", "k4", "k5"]


def test_parent_key_lists_a_subprojects_keys(client, subproject, project_key, subproject_key):
    _, header = project_key
    body = client.get(url(subproject), headers={"Authorization": header}).json()
    assert [k["displayName"] for k in body["accessKeys"]] == ["customer"]


def test_out_of_scope_and_unknown_projects_are_403_alike(client, project, project_key):
    _, header = project_key
    other = ProjectFactory()
    answers = [
        client.get(f"/api/v1/projects/{pid}/accessKeys", headers={"Authorization": header})
        for pid in (other.public_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-an-id")
    ]
    assert {r.status_code for r in answers} == {403}
    assert len({r.content for r in answers}) == 1
    assert answers[0].json()["error"]["status"] == "PERMISSION_DENIED"


def test_bad_page_parameters(client, project, project_key):
    _, header = project_key
    for params in ({"pageSize": 0}, {"pageSize": 1001}, {"pageSize": "x"}, {"pageToken": "junk"}):
        response = client.get(url(project), params, headers={"Authorization": header})
        assert response.status_code == 400, params
        assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_a_page_token_of_another_project_is_refused(client, project, subproject, project_key):
    _, header = project_key
    for i in range(3):
        services.access_key_create(project=subproject, display_name=f"k{i}")
    token = client.get(url(subproject), {"pageSize": 1}, headers={"Authorization": header}).json()[
        "nextPageToken"
    ]
    response = client.get(url(project), {"pageToken": token}, headers={"Authorization": header})
    assert response.status_code == 400


def test_unauthenticated(client, project):
    response = client.get(url(project))
    assert response.status_code == 401
    assert response["WWW-Authenticate"]
    assert response.json()["error"]["status"] == "UNAUTHENTICATED"


def test_query_count_does_not_grow_with_keys(
    client, project, project_key, django_assert_num_queries
):
    _, header = project_key
    client.get(url(project), headers={"Authorization": header})  # writes last_used_at
    for i in range(9):
        services.access_key_create(project=project, display_name=f"k{i}")
    # the key (with its project), the page
    with django_assert_num_queries(2):
        assert client.get(url(project), headers={"Authorization": header}).status_code == 200
