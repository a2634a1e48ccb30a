"""`make run` (DEBUG on, PRODUCT_ERROR_PAGES=1) shows the product's own Page not found and
Server error, not Django's debug pages. (Static files are served by runserver itself,
outside the middleware.)"""

import pytest
from django.urls import path

from dashboard.settings import MIDDLEWARE
from dashboard.urls import urlpatterns as dashboard_urls


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [*dashboard_urls, path("boom/", boom)]


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__
    middleware = list(MIDDLEWARE)
    middleware.insert(
        middleware.index("core.api.middleware.ApiErrorMiddleware") + 1,
        "dashboard.middleware.ProductErrorPagesMiddleware",
    )
    settings.MIDDLEWARE = middleware
    return settings


def test_without_it_debug_shows_django_s_page(client_for, admin_user, settings):
    """What the demo showed before: the URL patterns (so the test below can fail)."""
    settings.DEBUG = True
    response = client_for(admin_user).get("/projects/not-a-project-id/")
    assert response.status_code == 404
    assert b"URLconf" in response.content


@pytest.mark.parametrize(
    "url", ["/projects/not-a-project-id/", "/projects/01ARZ3NDEKTSV4RRFFQ69G5FAV/"]
)
def test_a_wrong_address_is_the_product_s_page_not_found(
    client_for, admin_user, demo_settings, url
):
    response = client_for(admin_user).get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "URLconf" not in body
    assert 'class="site-nav"' in body  # in the shell, with its navigation


def test_an_error_is_the_product_s_server_error(client_for, admin_user, demo_settings):
    client = client_for(admin_user)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Traceback" not in response.content and b"RuntimeError" not in response.content


def test_the_api_stays_json(client, demo_settings):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
