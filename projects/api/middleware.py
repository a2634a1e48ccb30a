"""Errors outside the views' own handling still answer in the API's shape under /api.

Django's own answers (400 for a request it cannot read, 500 for a bug) are HTML pages;
an API client gets the contract's JSON error body instead, and the exception is logged
as Django logs it.
"""

import logging

from django.core import signals
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404

from .errors import internal_error, invalid_argument, not_found, permission_denied

logger = logging.getLogger("django.request")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if isinstance(exception, SuspiciousOperation):  # too many fields, bad host …
            error = invalid_argument("The request could not be read: it is malformed or too large.")
        elif isinstance(exception, Http404):
            error = not_found()
        elif isinstance(exception, PermissionDenied):
            error = permission_denied()
        else:
            # As Django does for its own 500s: tell error reporters (admin emails,
            # monitoring, the test client), then log with the request attached.
            signals.got_request_exception.send(sender=None, request=request)
            logger.error(
                "Internal Server Error: %s",
                request.path,
                exc_info=exception,
                extra={"status_code": 500, "request": request},
            )
            error = internal_error()
        return error.response()
