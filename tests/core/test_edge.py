"""core.edge: chunked bodies are 411, plain HTTP under /api/ is a JSON 403 (not a
redirect), dashboard pages and CSVs are `Cache-Control: private, no-store`."""

import pytest


def test_a_chunked_body_is_411_not_read_as_empty(client, db):
    api = client.post(
        "/api/internal/v1/usage:batchRecord",
        b'{"records": []}',
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
    )
    assert api.status_code == 411
    assert api.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "Content-Length" in api.json()["error"]["message"]
    page = client.post(
        "/accounts/login/", {"username": "a"}, headers={"Transfer-Encoding": "chunked"}
    )
    assert page.status_code == 411


@pytest.mark.parametrize(
    "path", ["/api/v1/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/subprojects", "/oauth2/token"]
)
def test_plain_http_under_the_api_is_a_json_403(client, db, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "Location" not in response
    assert client.get(path, secure=True).status_code != 403  # over HTTPS it is answered
    # The dashboard is still redirected to HTTPS.
    assert client.get("/projects/").status_code == 301


def test_dashboard_pages_and_csvs_are_not_stored(client_for, member, project):
    client = client_for(member)
    for path in (
        "/projects/",
        "/projects.csv",
        f"/projects/{project.public_id}/subprojects/",
        f"/projects/{project.public_id}/subprojects.csv",
        f"/projects/{project.public_id}/activity/",
        f"/projects/{project.public_id}/activity.csv",
        f"/projects/{project.public_id}/usage/usage.csv",
        f"/projects/{project.public_id}/billing/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }, path


def test_the_api_and_static_files_keep_their_own(client, db):
    assert "no-store" not in client.get("/api/openapi.json").get("Cache-Control", "")
