"""gunicorn settings for this project.

gunicorn reads ./gunicorn.conf.py by itself when started in the repository's folder
(`gunicorn dashboard.wsgi --bind … --workers …`); command-line options still win.

- Limits on what a request may send before Django sees it (gunicorn's defaults, stated
  here so they are a decision): a request line of at most 4094 bytes, at most 100
  header fields of at most 8190 bytes each.
- The answers gunicorn makes itself when a request breaks those limits or is not HTTP
  (400, 414 URI Too Long, 431 Request Header Fields Too Large, …) are JSON in the API's
  error shape instead of gunicorn's HTML page: API clients parse every answer as JSON,
  and the path is often unknown at that point (a request line too long to read).
- Each worker's PostgreSQL connection pool holds as many connections as the worker has
  threads (`--threads`, 1 by default), passed on to Django's settings as
  GUNICORN_THREADS; docs/operations.md, "Database connections", has the arithmetic.
- Prometheus metrics from every worker: each worker writes its counts to
  PROMETHEUS_MULTIPROC_DIR (a fresh temporary folder per server unless set), and
  /metrics adds them up.
"""

import json
import os
import shutil
import tempfile

from gunicorn import util

limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The contracts' status words (core/api/errors.py) for what gunicorn itself answers.
_ANSWERS = {
    400: ("INVALID_ARGUMENT", "The request is not valid HTTP."),
    403: ("PERMISSION_DENIED", "The request was refused."),
    414: ("INVALID_ARGUMENT", f"The request line is longer than {limit_request_line} bytes."),
    417: ("INVALID_ARGUMENT", "The Expect header cannot be met."),
    431: (
        "INVALID_ARGUMENT",
        f"The request has more than {limit_request_fields} header fields, or one longer "
        f"than {limit_request_field_size} bytes.",
    ),
    500: ("INTERNAL_ERROR", "There was an internal error; try again in a moment."),
    501: ("INVALID_ARGUMENT", "This transfer coding is not supported."),
}


def json_error(status_int: int, reason: str) -> bytes:
    """gunicorn's error answer, as JSON. The message is ours: gunicorn's names the bad
    input, which is the client's own and may be large."""
    status, message = _ANSWERS.get(status_int, _ANSWERS[500 if status_int >= 500 else 400])
    body = json.dumps(
        {"error": {"code": status_int, "message": message, "status": status, "details": []}}
    )
    # As core.api.middleware answers a 500: when to retry.
    retry = "Retry-After: 5\r\n" if status_int == 500 else ""
    return (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        f"{retry}"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
        f"{body}"
    ).encode("latin-1")


def _write_json_error(sock, status_int, reason, mesg):
    util.write_nonblock(sock, json_error(status_int, reason))


# gunicorn's workers answer their own errors through util.write_error (one call, in
# Worker.handle_error); tests/servers/test_gunicorn_errors.py checks it against a real
# gunicorn, so an upgrade that moves it is caught.
util.write_error = _write_json_error


def on_starting(server):
    # Each worker's database pool is sized from its threads (dashboard/settings.py,
    # DATABASE_POOL_SIZE): the workers inherit this. With preload_app, Django's settings
    # are read before this runs; set DATABASE_POOL_SIZE yourself then.
    os.environ["GUNICORN_THREADS"] = str(server.cfg.threads)
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)  # counts from a previous run
        os.makedirs(directory, exist_ok=True)
    else:
        directory = tempfile.mkdtemp(prefix="console-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory  # the workers inherit it
        server._console_metrics_dir = directory


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    directory = getattr(server, "_console_metrics_dir", None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
