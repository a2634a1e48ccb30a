"""Refusing, at the edge, text that the database cannot store.

PostgreSQL's text types cannot hold the NUL character (U+0000): a query that compares
a column with such a value fails (psycopg raises ValueError), which would be a 500 in
any search, filter, form or admin page that forwards the value. Query strings and form
bodies are decoded with invalid UTF-8 replaced by U+FFFD, so NUL is the one character
that can arrive there and not be stored. Rather than remember it in every view, this
middleware refuses such a request (400, handler400) before any view runs: the
dashboard, the admin and the API alike. JSON bodies are the API's own business (its
validation refuses control characters in every field it stores).
"""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.urls import get_resolver, get_urlconf

UNSTORABLE = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MESSAGE = "The request contains a NUL character (%00), which is not allowed anywhere."


def _has_unstorable(querydict) -> bool:
    return any(
        UNSTORABLE in key or any(UNSTORABLE in value for value in values)
        for key, values in querydict.lists()
    )


def _query(request):
    try:
        return request.GET
    except SuspiciousOperation:  # too many fields: the view answers it as it would anyway
        return None


def _form_data(request):
    """The parsed form body, or None if there is none or it cannot be parsed (the view
    then answers the malformed body itself, as it would without this middleware)."""
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return None
    try:
        # The body first: a multipart body then stays readable as request.body for the
        # view (parsing it straight from the stream would consume it).
        request.body  # noqa: B018
        return request.POST
    except (MultiPartParserError, SuspiciousOperation, OSError, ValueError):
        # Django remembers a failed parse as an empty form; forget it, so that the view
        # parses again (from the body read above) and meets the same error itself.
        request.__dict__.pop("_post", None)
        request.__dict__.pop("_files", None)
        return None


class RefuseUnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query, form = _query(request), _form_data(request)
        if (
            UNSTORABLE in request.path
            or (query is not None and _has_unstorable(query))
            or (form is not None and _has_unstorable(form))
            or any(UNSTORABLE in value for value in request.COOKIES.values())
        ):
            # Answered as Django answers a BadRequest (handler400), without logging a
            # traceback for what is only a client's mistake.
            handler = get_resolver(get_urlconf()).resolve_error_handler(400)
            return handler(request, exception=BadRequest(MESSAGE))
        return self.get_response(request)
