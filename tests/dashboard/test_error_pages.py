import pytest
from django.test import Client, RequestFactory


def test_404_has_the_dashboard_look_and_says_what_to_do(client_for, member, project):
    response = client_for(member).get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert 'class="topbar"' in body and "css/app.css" in body
    assert "Acme Production" in body  # the Projects menu is still there
    assert "can be restored from the <em>Removed</em> tab" in body
    assert 'action="/projects/" role="search" aria-label="Find a project"' in body
    assert response["X-Request-ID"] in body


def test_403_has_the_dashboard_look_and_says_why(client_for, viewer, project):
    response = client_for(viewer).get(f"/projects/{project.public_id}/subprojects/new/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do that" in body and "Viewers cannot change projects." in body
    assert "Ask an admin of your account" in body and 'class="topbar"' in body
    assert response["X-Request-ID"] in body


def test_a_form_without_its_csrf_token_gets_a_page_saying_what_to_do(member, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(f"/projects/{project.public_id}/rename/", {"name": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in body and "<strong>Nothing was changed.</strong>" in body
    assert "reload the page, and send the form again" in body
    assert 'class="topbar"' in body and "Acme Production" in body
    assert response["X-Request-ID"] in body


@pytest.mark.urls("tests.support.urls_boom")
def test_500_has_the_dashboard_look(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and 'class="topbar"' in body
    assert "contact support and quote the request ID" in body


def test_the_500_page_needs_no_database():
    """No `db` fixture: any query here fails the test (pytest-django blocks them)."""
    from dashboard.views import server_error

    request = RequestFactory().get("/projects/")
    request.request_id = "0123abcd"
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in body
    assert 'class="topbar"' in body and "projects-menu" not in body
    assert "<code>0123abcd</code>" in body


def test_an_error_page_that_cannot_render_still_answers(client, db, settings):
    """Static files not collected (no manifest): the 400 page falls back to plain text."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get("/projects/?q=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert response["X-Request-ID"] in response.content.decode()
