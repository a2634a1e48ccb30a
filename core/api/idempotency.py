"""The Idempotency-Key header on create endpoints (core.idempotency does the work).

A record is per calling project and key, kept 24 hours, and holds a fingerprint of the
request (its parsed body and target) and the ID of what was created, written in the
creation's own transaction.

Answers stay within the codes the contracts document for create (200, 400, 401, 403,
404): the same key with a different request is 400 INVALID_ARGUMENT (other APIs use 409
or 422, which the contract does not list), and a retry while the first request is still
running is 400 FAILED_PRECONDITION ("retry in a moment"), at once.
"""

from core import idempotency

from .errors import failed_precondition, invalid_argument

MAX_KEY_LENGTH = 255


def _checked(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise invalid_argument(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
            "e.g. a UUID."
        )
    return key


def create_once(request, *, resource: str, meaning, create) -> str:
    """Run `create()` (which returns the new thing's public ID) once per Idempotency-Key.

    Without the header it simply runs. `meaning` is what makes two requests the same
    request (the target and the parsed body).
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return create()
    try:
        outcome = idempotency.run_once(
            scope=f"api:{resource}:{request.principal.key.project_id}",
            key=_checked(key),
            fingerprint=idempotency.fingerprint_of(meaning),
            action=create,
        )
    except idempotency.InProgress:
        raise failed_precondition(
            "A request with this Idempotency-Key is still in progress; retry in a moment."
        ) from None
    except idempotency.KeyReused:
        raise invalid_argument(
            "Idempotency-Key was already used with a different request; use a new key "
            "for a new request."
        ) from None
    return outcome.result
