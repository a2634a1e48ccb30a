"""The product's own Prometheus metrics, beside django-prometheus's (requests and
latencies by view, database connections, queries and errors).

Metric objects are process-wide; under gunicorn with several workers,
PROMETHEUS_MULTIPROC_DIR (set by gunicorn.conf.py) makes one scrape add up every
worker's counts.
"""

from prometheus_client import Counter, Gauge

auth_failures = Counter(
    "console_auth_failures_total",
    "Failed authentications: wrong or throttled sign-ins and password checks, and API "
    "requests refused as unauthenticated.",
    ["interface"],  # sign_in, password_change, api (access keys), platform (tokens)
)

backend_unavailable = Counter(
    "console_backend_unavailable_total",
    "Requests answered 503 because the database or the cache could not be reached.",
    ["backend"],  # database, cache
)

cache_errors = Counter(
    "console_cache_errors_total",
    "Failed cache operations seen by /readyz (the cache is not needed to answer).",
)

usage_records = Counter(
    "console_usage_records_total",
    "Usage records sent to ingest, by outcome: accepted (stored), duplicate (stored "
    "before), rejected (the batch was refused; `reason` is the field at fault).",
    ["outcome", "reason"],
)

usage_newest_hour = Gauge(
    "console_usage_newest_record_hour_seconds",
    "The hour (Unix time) of the newest usage record accepted, per metric; the lag of "
    "ingest is time() minus this.",
    ["metric"],
    multiprocess_mode="max",
)
