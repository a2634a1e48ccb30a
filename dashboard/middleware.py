"""The product's own error pages while DEBUG is on (`make run`, PRODUCT_ERROR_PAGES=1).

With DEBUG on, Django answers a missing page with its debug page (which lists every URL
pattern) and an error with a traceback. A demo should show what users see: the shell's
Page not found (templates/404.html) and Server error (dashboard.views.server_error).
Static files are still served by runserver, outside the middleware. The traceback still
goes to the console (logged here). Never installed with DEBUG off: Django then uses
these pages itself.
"""

import logging

from django.http import Http404
from django.views.defaults import page_not_found

from core.api.middleware import is_api_path

from .views import server_error

logger = logging.getLogger("django.request")


class ProductErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and not is_api_path(request.path)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, None)
        return response

    def process_exception(self, request, exception):
        if is_api_path(request.path):
            return None  # the API's JSON errors (core.api.middleware)
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=True)
        return server_error(request)
