"""The Idempotency-Key header on POST: a retried create returns the first result.

Records live in Django's cache (the database by default, Redis when CACHE_URL says so),
never in one process's memory, so every app server sees them. A record is keyed by the
caller's project and the client's key, and holds a fingerprint of the request (parent
ID and parsed body) and, once done, the Project ID of what was created. It is kept for
KEEP_FOR seconds.

Concurrency: the first request claims the key with `cache.add` (an INSERT on a unique
key in the database cache, SET NX in Redis), so of two simultaneous requests exactly one
creates; the other polls until the first finishes and returns the same subproject. A
claim left by a crashed request lapses after PENDING_FOR seconds.

Answers stay within the codes the contract documents for POST (200, 400, 401, 403,
404): the same key with a different body is 400 INVALID_ARGUMENT (other APIs use 409 or
422, which this contract does not list), and a first request still running after
WAIT_FOR seconds is 400 FAILED_PRECONDITION ("retry later").
"""

import hashlib
import json
import time

from django.core.cache import cache

from .errors import failed_precondition, invalid_argument

KEEP_FOR = 24 * 60 * 60
PENDING_FOR = 60
WAIT_FOR = 10.0
POLL_EVERY = 0.05
MAX_KEY_LENGTH = 255


def _check(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise invalid_argument(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters, "
            "e.g. a UUID."
        )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _in_progress():
    return failed_precondition(
        "A request with this Idempotency-Key is still in progress; retry later."
    )


def cache_key(scope, key: str) -> str:
    return "idempotency:" + _digest(f"{scope}\n{key}")


def run_once(*, scope, key: str, fingerprint, action):
    """Run `action()` once per (scope, key) and request fingerprint; return its result.

    `action` returns something small and picklable (here a Project ID); if it raises,
    the claim is released so that a corrected retry can run.
    """
    _check(key)
    name = cache_key(scope, key)
    print_ = _digest(json.dumps(fingerprint, sort_keys=True, ensure_ascii=False))
    deadline = time.monotonic() + WAIT_FOR
    while True:
        # get() first: the database cache deletes an expired row as it reads it, so
        # the add() below is an INSERT that a unique key makes atomic.
        record = cache.get(name)
        if record is None:
            if cache.add(name, {"fingerprint": print_, "result": None}, timeout=PENDING_FOR):
                try:
                    result = action()
                except BaseException:
                    cache.delete(name)
                    raise
                cache.set(name, {"fingerprint": print_, "result": result}, timeout=KEEP_FOR)
                return result
            # Another request claimed it in between (read its record next), or the cache
            # refused the write: either way, do not spin for ever.
            if time.monotonic() >= deadline:
                raise _in_progress()
            continue
        if record["fingerprint"] != print_:
            raise invalid_argument(
                "Idempotency-Key was already used with a different request; use a new key "
                "for a new request."
            )
        if record["result"] is not None:
            return record["result"]
        if time.monotonic() >= deadline:
            raise _in_progress()
        time.sleep(POLL_EVERY)
