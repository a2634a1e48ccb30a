"""Errors in the contracts' shape: {"error": {"code", "message", "status", "details"}}.

Only the status codes the contracts document are used. An ID outside the caller's scope
gets exactly the answer a nonexistent ID gets.
"""

from django.http import JsonResponse

from core.errors import (
    AlreadyExists,
    InvalidItems,
    InvalidParent,
    InvalidValue,
    LimitReached,
    NotAllowed,
    ServiceError,
    WrongState,
)

# The services' names for fields, and the contracts' names for them.
CONTRACT_FIELDS = {
    "name": "displayName",
    "display_name": "displayName",
    "labels": "labels",
    "expires_at": "expireTime",
}


class ApiError(Exception):
    def __init__(self, code: int, status: str, message: str, *, headers=None, details=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.details = details or []

    def response(self) -> JsonResponse:
        body = {
            "error": {
                "code": self.code,
                "message": self.message,
                "status": self.status,
                "details": self.details,
            }
        }
        response = JsonResponse(body, status=self.code)
        for name, value in self.headers.items():
            response[name] = value
        return response


def invalid_argument(message: str) -> ApiError:
    return ApiError(400, "INVALID_ARGUMENT", message)


def failed_precondition(message: str) -> ApiError:
    return ApiError(400, "FAILED_PRECONDITION", message)


def unauthenticated(
    message: str, *, retry_after: int | None = None, challenge: str | None = None
) -> ApiError:
    """401, challenging for the schemes taken, or with `challenge` (a refused bearer
    token's RFC 6750 error)."""
    headers = {"WWW-Authenticate": challenge or 'Basic realm="api", Bearer realm="api"'}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return ApiError(401, "UNAUTHENTICATED", message, headers=headers)


def permission_denied(message: str = "The caller does not have permission.") -> ApiError:
    return ApiError(403, "PERMISSION_DENIED", message)


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def already_exists(message: str) -> ApiError:
    return ApiError(409, "ALREADY_EXISTS", message)


def method_not_allowed(allowed: list[str]) -> ApiError:
    return ApiError(
        405,
        "METHOD_NOT_ALLOWED",
        f"This resource answers {', '.join(allowed)} only.",
        headers={"Allow": ", ".join(allowed)},
    )


def internal_error() -> ApiError:
    return for_status(500)


# The contracts' status word and a default message for each HTTP status, for answers
# made outside the views (core.api.middleware): Django's own error pages.
_BY_STATUS = {
    400: ("INVALID_ARGUMENT", "The request could not be read: it is malformed or too large."),
    401: ("UNAUTHENTICATED", "Authentication is required."),
    403: ("PERMISSION_DENIED", "The caller does not have permission."),
    404: ("NOT_FOUND", "No API resource at this path."),
    405: ("METHOD_NOT_ALLOWED", "This resource does not answer this method."),
    413: ("INVALID_ARGUMENT", "The request body is too large."),
    414: ("INVALID_ARGUMENT", "The request URL is too long."),
    415: ("INVALID_ARGUMENT", "Send the body as JSON with Content-Type: application/json."),
    431: ("INVALID_ARGUMENT", "The request's headers are too large."),
    500: ("INTERNAL_ERROR", "There was an internal error; try again in a moment."),
    503: (
        "UNAVAILABLE",
        "The service is briefly unavailable; retry after the seconds in Retry-After.",
    ),
}


def for_status(code: int, message: str | None = None) -> ApiError:
    default = 500 if code >= 500 else 400
    status, default_message = _BY_STATUS.get(code, _BY_STATUS[default])
    return ApiError(code, status, message or default_message)


def from_service_error(error: ServiceError) -> ApiError:
    """The API's one answer to a service's refusal (core.errors), in the contracts' words:
    a bad value is INVALID_ARGUMENT naming the contract's field; a taken name is
    ALREADY_EXISTS (409, which only the access-keys contract documents, and only it
    raises); a limit, an unsuitable parent or a state that does not allow the change is
    FAILED_PRECONDITION; what this caller may never do is PERMISSION_DENIED."""
    message = error.message
    if isinstance(error, InvalidItems):  # a batch: every item's fault in details
        return ApiError(400, "INVALID_ARGUMENT", message, details=error.details)
    if isinstance(error, InvalidValue):
        field = CONTRACT_FIELDS.get(error.field, error.field)
        return invalid_argument(f"{field}: {message}" if field else message)
    if isinstance(error, AlreadyExists):
        return already_exists(message)
    if isinstance(error, (LimitReached, InvalidParent, WrongState)):
        return failed_precondition(message)
    if isinstance(error, NotAllowed):
        return permission_denied(message)
    return invalid_argument(message)
