from projects import services
from tests.factories import ProjectFactory


def test_gets_one_key(client, project, project_key):
    key, header = project_key
    response = client.get(
        f"/api/v1/projects/{project.public_id}/accessKeys/{key.key_id}",
        headers={"Authorization": header},
    )
    assert response.status_code == 200
    assert response.json()["accessKeyId"] == key.key_id
    assert response.json()["displayName"] == "automation"


def test_anything_out_of_scope_is_the_same_404(client, project, subproject, project_key):
    key, header = project_key
    other_project = ProjectFactory()
    other_key, _ = services.access_key_create(project=other_project, display_name="theirs")
    sub_key, _ = services.access_key_create(project=subproject, display_name="sub")
    revoked, _ = services.access_key_create(project=project, display_name="revoked")
    services.access_key_revoke(key=revoked)
    paths = [
        f"{other_project.public_id}/accessKeys/{other_key.key_id}",  # another account
        f"{project.public_id}/accessKeys/{other_key.key_id}",  # key of another project
        f"{project.public_id}/accessKeys/{sub_key.key_id}",  # key of the subproject
        f"{project.public_id}/accessKeys/{revoked.key_id}",  # deleted
        f"{project.public_id}/accessKeys/00000000-0000-4000-8000-000000000000",
        f"{project.public_id}/accessKeys/not-a-uuid",
        f"01ARZ3NDEKTSV4RRFFQ69G5FAV/accessKeys/{key.key_id}",
    ]
    answers = [
        client.get(f"/api/v1/projects/{p}", headers={"Authorization": header}) for p in paths
    ]
    assert [r.status_code for r in answers] == [404] * len(paths)
    assert len({r.content for r in answers}) == 1
    assert answers[0].json()["error"]["status"] == "NOT_FOUND"
