"""Optional error tracking with Sentry (SENTRY_DSN; pip install '.[sentry]').

What is sent: the exception, its stack (local variables scrubbed), the request's method,
path and the request ID (the `request_id` tag, the same as in the logs, the
X-Request-ID header and the error page, so a user's report, a log line and an event
are one search apart). What is never sent: cookies, the Authorization header, request
bodies, query strings (a query may hold a token), the user's email or address
(send_default_pii off), and any local variable or field whose name says it holds a
secret (sentry's default deny list, and ours below).
"""

# Names of variables and fields that hold secrets here, on top of sentry's own list
# (password, secret, token, authorization, cookie, session, csrf, api_key …).
DENYLIST = [
    "secret_hash",
    "token_hash",
    "pepper",
    "access_key_pepper",
    "access_key_pepper_fallbacks",
    "secret_key_fallbacks",
    "key_secret",
    "stored_hash",
    # Single sign-on (accounts.sso, Authlib's frames): the client's secret, the provider's
    # tokens and the PKCE verifier.
    "client_secret",
    "id_token",
    "access_token",
    "code_verifier",
    "candidate",
    "current",
    "header",
    "value",
    "decoded",
]


def before_send(event, hint):
    request = event.get("request") or {}
    for part in ("cookies", "data", "query_string", "env"):
        request.pop(part, None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in ("authorization", "cookie", "x-csrftoken", "proxy-authorization"):
            headers[name] = "[Filtered]"
    from core.request_log import current_request_id  # not at settings time

    request_id = current_request_id.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init(dsn: str, *, environment: str, release: str, traces_sample_rate: float, **options):
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        max_request_body_size="never",
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + DENYLIST, recursive=True),
        before_send=before_send,
        integrations=[DjangoIntegration()],
        **options,
    )
