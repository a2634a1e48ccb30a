"""The deprecated /v1alpha1 spelling says so in every answer: Deprecation (RFC 9745)
and a Link to the same resource under /v1 (rel="successor-version"); /v1 does not."""

from projects.api.deprecation import DEPRECATION
from tests.support.api_client import call, key_header


def test_every_v1alpha1_answer_says_it_is_deprecated(client, project, subproject):
    auth = key_header(project)
    unknown = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    for path, status in [
        (f"subprojects/{subproject.public_id}", 200),
        (f"projects/{project.public_id}/subprojects", 200),
        (f"subprojects/{unknown}", 404),
    ]:
        url, successor = f"/api/v1alpha1/{path}", f"/api/v1/{path}"
        response = call(client, "get", url, auth)
        assert response.status_code == status, url
        assert response["Deprecation"] == DEPRECATION and DEPRECATION.startswith("@")
        assert response["Link"] == f'<{successor}>; rel="successor-version"'


def test_a_client_text_in_the_path_is_escaped_in_the_link(client, project):
    response = call(client, "get", "/api/v1alpha1/subprojects/a%0Ab c", key_header(project))
    assert response.status_code == 404
    assert response["Link"] == '</api/v1/subprojects/a%0Ab%20c>; rel="successor-version"'


def test_v1_is_not_deprecated(client, project, subproject):
    response = call(
        client, "get", f"/api/v1/subprojects/{subproject.public_id}", key_header(project)
    )
    assert response.status_code == 200
    assert "Deprecation" not in response and "Link" not in response


def test_the_document_says_so_on_v1alpha1_answers():
    from api.openapi import document

    paths = document()["paths"]
    ok = paths["/v1alpha1/subprojects/{subprojectId}"]["get"]["responses"]["200"]
    assert set(ok["headers"]) == {"Deprecation", "Link"}
    assert "headers" not in paths["/v1/subprojects/{subprojectId}"]["get"]["responses"]["200"]
