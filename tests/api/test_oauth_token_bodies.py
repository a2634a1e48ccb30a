"""POST /oauth2/token with bodies that are not a well-formed form (found by schemathesis)."""

from tests.support.api_client import key_header


def test_multipart_without_a_boundary_is_400_not_500(client, project):
    response = client.post(
        "/oauth2/token",
        data=b"grant_type=client_credentials",
        content_type="multipart/form-data",
        headers={"Authorization": key_header(project)},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
