"""Standard Webhooks signatures (https://www.standardwebhooks.com/): the headers
`webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">`, the key being the base64 after `whsec_`. Several secrets (a
rotation's old and new) give several signatures, space separated: a receiver accepts
any that verifies. tests/webhooks verify these with the `standardwebhooks` library."""

import hashlib
import hmac
from base64 import b64decode, b64encode

from .models import SECRET_PREFIX


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secrets: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "content-type": "application/json",
        "user-agent": "Console-Webhooks/1.0",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets
        ),
    }
