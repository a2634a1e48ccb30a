"""Optional error tracking (SENTRY_DSN): an error's event carries the request ID and
nothing secret."""

import pytest

sentry_sdk = pytest.importorskip("sentry_sdk")

from sentry_sdk.transport import Transport  # noqa: E402

from core import error_tracking  # noqa: E402
from core.request_log import current_request_id  # noqa: E402


class Captured(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                self.events.append(item.payload.json)


@pytest.fixture
def captured():
    transport = Captured()
    error_tracking.init(
        "https://public@errors.example.com/1",
        environment="test",
        release="",
        traces_sample_rate=0.0,
        transport=transport,
        default_integrations=False,
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: nothing is sent from here on


def fail_with_secrets():
    # Made at run time: the source lines around the error are sent, and must not be
    # what the test finds.
    secret = "".join(["csk_", "thisisnotarealsecret"])  # noqa: F841
    token_hash = "ab" * 32  # noqa: F841
    pepper = "-".join(["the", "pepper"])  # noqa: F841
    raise RuntimeError("boom")


def test_an_event_has_the_request_id_and_no_secret(captured):
    marker = current_request_id.set("req-1234")
    try:
        fail_with_secrets()
    except RuntimeError:
        sentry_sdk.capture_exception()
    finally:
        current_request_id.reset(marker)
    sentry_sdk.flush()
    (event,) = captured.events
    assert event["tags"]["request_id"] == "req-1234"
    text = str(event)
    assert "boom" in text
    for secret in ("csk_thisisnotarealsecret", "ab" * 32, "the-pepper"):
        assert secret not in text


def test_request_details_that_may_hold_secrets_are_dropped():
    event = {
        "request": {
            "url": "https://console.example.com/api/v1/x",
            "query_string": "token=abc",
            "data": {"client_secret": "csk_x"},
            "cookies": {"sessionid": "s"},
            "headers": {"Authorization": "Basic eDp5", "Cookie": "sessionid=s", "Accept": "*/*"},
        }
    }
    request = error_tracking.before_send(event, {})["request"]
    assert "query_string" not in request and "data" not in request and "cookies" not in request
    assert request["headers"] == {
        "Authorization": "[Filtered]",
        "Cookie": "[Filtered]",
        "Accept": "*/*",
    }


def test_settings_start_sentry_only_with_a_dsn():
    from django.conf import settings

    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.get_client().dsn is None
