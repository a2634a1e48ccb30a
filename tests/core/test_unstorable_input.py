"""A NUL character (%00) anywhere in a request is refused with 400 at the edge, before
any view: PostgreSQL cannot store or compare it, so forwarding it to a query was a 500
(the dashboard's searches and filters, the admin's filters, form fields, sign-in). Run
on PostgreSQL too (CI does), where the 500s happened."""

import pytest
from django.conf import settings

from tests.factories import PASSWORD, UserFactory
from tests.support.api_client import call, error_of, key_header

MESSAGE = "The request contains a NUL character (%00), which is not allowed anywhere."


def assert_refused_page(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert MESSAGE in body and response["X-Request-ID"] in body


@pytest.mark.parametrize(
    "url",
    [
        "/projects/menu/?q=%00",
        "/projects/menu/?q=a%00b&partial=1",
        "/projects/?q=%00",
        "/projects/?page=%00",
        "/projects/{parent}/subprojects/?q=%00",
        "/projects/{parent}/subprojects/?removed=%00",
        "/projects/{parent}/subprojects/?created=%00",
        "/projects/{parent}/subprojects/removed/?page=%00",
        "/projects/?%00=1",
        "/projects/%00/",
    ],
)
def test_dashboard_searches_and_filters(client_for, member, project, url):
    response = client_for(member).get(url.format(parent=project.public_id))
    assert_refused_page(response)


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "kind=%00",
        "removed=%00",
        "account__id__exact=%00",
        "o=%00",
        "name__startswith=%00",
        "_changelist_filters=%00",
    ],
)
def test_admin_filters(client_for, operator, query):
    response = client_for(operator).get(f"/{settings.ADMIN_URL}projects/project/?{query}")
    assert_refused_page(response)


@pytest.mark.parametrize("model", ["accesskey", "projectgrant"])
def test_admin_searches_of_other_models(client_for, operator, model):
    response = client_for(operator).get(f"/{settings.ADMIN_URL}projects/{model}/?q=%00")
    assert_refused_page(response)


def test_admin_user_search(client_for, operator):
    response = client_for(operator).get(f"/{settings.ADMIN_URL}accounts/user/?q=a%00")
    assert_refused_page(response)


def test_form_fields(client_for, member, project):
    client = client_for(member)
    url = f"/projects/{project.public_id}/rename/"
    assert_refused_page(client.post(url, {"name": "New\x00name"}))
    labels = f"/projects/{project.public_id}/labels/"
    assert_refused_page(client.post(labels, {"labels": "a=b\x00"}))
    project.refresh_from_db()
    assert project.name == "Acme Production" and project.labels == {}


def test_sign_in_with_a_nul_in_the_email(client, db):
    UserFactory(email="ann@example.com")
    response = client.post("/accounts/login/", {"username": "ann\x00@example.com", "password": "x"})
    assert_refused_page(response)
    signed_in = client.post(
        "/accounts/login/", {"username": "ann@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_a_multipart_form_is_checked_too(client_for, member, project):
    response = client_for(member).post(
        f"/projects/{project.public_id}/rename/", {"name": "x\x00"}, format="multipart"
    )
    assert_refused_page(response)


def test_a_nul_in_a_cookie(client, db):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert_refused_page(client.get("/projects/"))


@pytest.mark.parametrize("query", ["pageToken=%00", "pageSize=%00", "showDeleted=%00", "x%00=1"])
def test_api_query_parameters_are_a_json_400(client, project, query):
    url = f"/api/v1/projects/{project.public_id}/subprojects?{query}"
    response = call(client, "get", url, key_header(project))
    assert error_of(response) == (400, "INVALID_ARGUMENT", MESSAGE)


def test_the_token_endpoints_form(client, project):
    response = client.post("/oauth2/token", {"grant_type": "client_credentials\x00"})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description": MESSAGE}


def test_json_bodies_are_checked_by_the_apis_own_validation(client, project):
    url = f"/api/v1/projects/{project.public_id}/subprojects"
    auth = key_header(project)
    for body in ({"displayName": "a\u0000b"}, {"displayName": "a", "labels": {"k": "\u0000"}}):
        code, status, message = error_of(call(client, "post", url, auth, body))
        assert (code, status) == (400, "INVALID_ARGUMENT") and "U+0000" in message


def test_ordinary_requests_pass(client_for, member, project):
    client = client_for(member)
    assert client.get("/projects/?q=Acme").status_code == 200
    response = client.post(f"/projects/{project.public_id}/rename/", {"name": "Renamed"})
    assert response.status_code == 302
