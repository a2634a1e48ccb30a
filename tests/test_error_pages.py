import pytest
from django.test import Client


def test_404_has_the_dashboard_look(client_for, member, project):
    response = client_for(member).get("/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert 'class="topbar"' in body and "css/app.css" in body
    assert "Acme Production" in body  # the Projects menu is still there


def test_403_has_the_dashboard_look(client_for, viewer, project):
    response = client_for(viewer).get(f"/projects/{project.public_id}/subprojects/new/")
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()


@pytest.mark.urls("tests.urls_boom")
def test_500_has_the_dashboard_look(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and 'class="topbar"' in body


def test_an_error_page_that_cannot_render_still_answers(client, db, settings):
    """Static files not collected (no manifest): the 400 page falls back to plain text."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get("/projects/?q=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert response["X-Request-ID"] in response.content.decode()
