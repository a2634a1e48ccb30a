"""gunicorn config for benchmarks that serve HTML pages: static URLs without the
manifest (no collectstatic into the checkout, whose staticfiles/ the tests expect
absent). Read by nothing in the product; a bench passes it with -c."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def post_worker_init(worker):
    from bench.support.environment import plain_static

    plain_static()
