"""POST /oauth2/token (and /api/oauth2/token): exchange a Key ID and Key Secret for a
bearer token (RFC 6749, client credentials grant). Errors use OAuth's own shape, as OAuth
clients expect: a malformed request (a missing or repeated parameter, a secret sent both
as HTTP Basic and in the body, section 2.3) is 400 invalid_request; an unknown grant
type 400 unsupported_grant_type; a `scope` 400 invalid_scope (a token can do exactly what
its key can, the key's permissions set when it was created: there is no scope to ask
for, so the answer names none, section 5.1); missing
or wrong credentials 401 invalid_client. Answers carry Cache-Control: no-store and
Pragma: no-cache (section 5.1).

With HTTP Basic, the body may repeat the client's ID as client_id (section 3.2.1 lets a
client identify itself so; requests-oauthlib does with include_client_id=True): it must
be the Basic user name."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from core.client import client_address
from projects import activity

from . import auth


def _answer(body: dict, status: int = 200, headers=None) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Pragma"] = "no-cache"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _oauth_error(status: int, error: str, description: str, headers=None) -> JsonResponse:
    return _answer({"error": error, "error_description": description}, status, headers)


def _malformed(request, uses_basic: bool) -> str | None:
    """Why the request is malformed (RFC 6749 invalid_request), or None."""
    repeated = sorted(name for name, values in request.POST.lists() if len(values) > 1)
    if repeated:
        return f"Send each parameter once: {', '.join(repeated)} is repeated."
    if uses_basic and "client_secret" in request.POST:
        return (
            "Send the credentials one way only: as HTTP Basic, or as client_id and "
            "client_secret in the body, not both."
        )
    if not request.POST.get("grant_type"):
        return "grant_type is missing: send grant_type=client_credentials (form-encoded)."
    return None


@csrf_exempt
@login_not_required
@never_cache
@require_POST
@sensitive_post_parameters("client_secret")
@sensitive_variables()
def token(request):
    try:
        request.POST  # noqa: B018 - parse now: a malformed or oversized body raises here
    except (MultiPartParserError, SuspiciousOperation):
        return _oauth_error(
            400,
            "invalid_request",
            "Send a small form as application/x-www-form-urlencoded.",
        )

    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if problem := _malformed(request, scheme.lower() == "basic"):
        return _oauth_error(400, "invalid_request", problem)
    if scheme.lower() == "basic":
        credentials = auth.parse_basic(value.strip())
        if credentials and request.POST.get("client_id", credentials[0]) != credentials[0]:
            return _oauth_error(
                400,
                "invalid_request",
                "client_id in the body is not the Key ID of the HTTP Basic credentials.",
            )
    elif "client_id" in request.POST:
        credentials = (request.POST.get("client_id", ""), request.POST.get("client_secret", ""))
    else:
        credentials = None
    if credentials is None:
        return _oauth_error(
            401,
            "invalid_client",
            "Send your Key ID and Key Secret as HTTP Basic credentials, or as the form "
            "fields client_id and client_secret.",
            {"WWW-Authenticate": 'Basic realm="oauth2"'},
        )
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error(
            400, "unsupported_grant_type", "Use grant_type=client_credentials (form-encoded)."
        )
    if request.POST.get("scope", "").strip():
        return _oauth_error(
            400,
            "invalid_scope",
            "A token can do exactly what its access key can (the key's permissions, set "
            "when the key is created): leave scope out.",
        )
    # As on /api, valid credentials are never refused for others' failures from the same
    # address; only failures are counted and, past the limit, answered with Retry-After.
    bad = "The Key ID or Key Secret is not valid, or the key was revoked."
    if not auth.could_be_valid(*credentials):  # refused by shape: no query, not counted
        return _oauth_error(401, "invalid_client", bad)
    key = auth.key_for_credentials(*credentials)
    if key is None:
        error = auth.refuse(request, bad)
        return _oauth_error(401, "invalid_client", error.message, error.headers)
    if key.suspension is not None:
        # Valid credentials, so not invalid_client (401); RFC 6749 section 5.2's word
        # for a client that may not use the grant.
        return _oauth_error(400, "unauthorized_client", key.suspension.refusal().message)
    activity.key_used(key, client_address(request))  # a use of the key, like an API call
    return _answer(
        {
            "access_token": auth.issue_token(key),
            "token_type": "bearer",
            "expires_in": auth.TOKEN_LIFETIME,
        }
    )
