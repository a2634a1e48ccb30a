"""Helpers for the API tests: HTTP Basic headers for access keys, and JSON calls."""

import base64
import json

from projects import services


def basic(key_id, secret) -> str:
    """The HTTP Basic Authorization header for a Key ID and Key Secret."""
    return "Basic " + base64.b64encode(f"{key_id}:{secret}".encode()).decode()


def key_header(project, name="automation") -> str:
    """Make an access key for `project` and return its HTTP Basic Authorization header."""
    key, secret = services.access_key_create(project=project, display_name=name)
    return basic(key.key_id, secret)


def call(client, method, url, auth, body=None, *, raw=None, headers=None):
    """Call the API as `auth`; `body` is sent as JSON, `raw` as it is."""
    kwargs = {"headers": {"Authorization": auth, **(headers or {})}}
    if body is not None or raw is not None:
        kwargs["data"] = raw if raw is not None else json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method.lower())(url, **kwargs)


def error_of(response) -> tuple[int, str, str]:
    error = response.json()["error"]
    assert error["code"] == response.status_code
    assert error["details"] == []
    return response.status_code, error["status"], error["message"]
