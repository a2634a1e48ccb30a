"""gunicorn with the production defaults on PostgreSQL: each worker keeps a pool of one
connection per thread (gunicorn.conf.py passes --threads to the settings), and after a
failover (every connection killed) the next request is answered, not a 503."""

import time

import pytest
import requests

from tests.support.postgres import backends, terminate

from .support import database_url

pytestmark = pytest.mark.servers

NAME = "console-pool-test"


def settled(count: int) -> list[int]:
    """The server's backends once there are `count` of them (the pool opens its
    connections in the background), or as they are after 15 s."""
    deadline = time.monotonic() + 15
    while len(found := backends(NAME)) != count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_worker_keeps_a_connection_per_thread_and_survives_a_failover(start_server):
    server = start_server(workers=1, threads=3, DATABASE_URL=database_url(NAME))
    assert requests.get(server.url("/readyz"), timeout=30).status_code == 200
    # 3, not the 4 of a process outside gunicorn: 1 worker x 3 threads.
    first = settled(3)
    assert len(first) == 3

    terminate(*first)  # a failover
    for _ in range(3):
        ready = requests.get(server.url("/readyz"), timeout=30)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"
    again = settled(3)
    assert len(again) == 3 and not set(again) & set(first)
    assert server.server_errors() == []
