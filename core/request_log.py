"""One JSON line per request, and the request ID that ties a user's report to it.

The request ID is taken from X-Request-ID only when the request comes from one of
TRUSTED_PROXIES (a proxy that sets it, so its own log and ours share the ID); anyone
else could send any text, so otherwise a new one is made. It is returned in the
X-Request-ID response header, shown on error pages, and added to every log record
written while the request is handled (RequestIdFilter), tracebacks included.

The line holds what an operator needs and nothing that may be secret: the path without
its query string (a query may hold a token), never a header or a body.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from .actors import Kind
from .client import client_address, request_is_from_trusted_proxy

HEADER = "X-Request-ID"
# What a proxy's ID may look like (nginx's $request_id, a UUID, a trace ID): anything
# else is replaced, so a log line cannot be forged through the header.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)

logger = logging.getLogger("console.request")


def request_id_for(request) -> str:
    """The proxy's X-Request-ID if a trusted proxy sent a sensible one, else a new ID."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and _VALID_ID.match(given) and request_is_from_trusted_proxy(request):
        return given
    return uuid.uuid4().hex


def _who(request) -> dict:
    """The user, access key or platform token, from what the request already loaded (never a query:
    the line is written after the answer, whatever state the database is in)."""
    user = request.__dict__.get("_cached_user")
    if user is not None and user.is_authenticated:
        return {"user": user.pk}
    actor = getattr(request, "actor", None)  # set by the API for its callers
    if actor is not None:
        return {"platform_token" if actor.kind == Kind.PLATFORM_TOKEN else "key": actor.id}
    return {}


class RequestLogMiddleware:
    """The outermost middleware: sees every answer, Django's own error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_for(request)
        # Left set after the answer: Django logs an error answer ("Not Found: …") after
        # the middleware returns, and that line belongs to this request too. The next
        # request in this thread (or its own context, under ASGI) sets its own.
        current_request_id.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": client_address(request),
                    **_who(request),
                }
            },
        )
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is handled."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request ID, the
    record's `fields` (RequestLogMiddleware's), and the traceback if there is one."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", ""):
            entry["request_id"] = record.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
