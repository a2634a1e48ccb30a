"""Telling a backend outage (the database or the cache unreachable) from a bug.

An outage is answered 503 with Retry-After (the API in its JSON shape, the dashboard
with its error page), never 500: the client did nothing wrong and may simply retry.
Nothing in the product needs the cache to be correct (idempotency records and failure
counters live in the database), so today a cache outage is only seen here if code
added later reads the cache without a fallback.
"""

from django.db import InterfaceError, OperationalError

RETRY_AFTER = 5  # seconds: a short outage (a failover, a restart) is over by then


def _cache_errors() -> tuple[type[BaseException], ...]:
    try:
        import redis.exceptions
    except ImportError:  # redis is an optional dependency (CACHE_URL=redis://)
        return ()
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def backend_of(exception: BaseException | None) -> str | None:
    """ "cache" or "database" if `exception` means that backend cannot be reached."""
    if exception is None:
        return None
    if isinstance(exception, _cache_errors()):
        return "cache"
    # OperationalError also covers a lock timeout or a serialisation failure; these are
    # worth a retry too, so they are answered the same way.
    if isinstance(exception, (OperationalError, InterfaceError)):
        return "database"
    return None
