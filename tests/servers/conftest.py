"""Fixtures that start real servers (see support.py). PostgreSQL only: the servers
share the test database with the test."""

import pytest

from .support import SHARED_REDIS_URL, Gunicorn, port_open, require, require_postgresql


@pytest.fixture
def shared_redis_url():
    host_port = SHARED_REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    require(port_open(host, int(port)), f"no Redis server at {host_port}")
    return SHARED_REDIS_URL


@pytest.fixture
def start_server(transactional_db):
    """start_server(**env) -> a running Gunicorn; all are stopped (before the test
    database is flushed) when the test ends."""
    require_postgresql()
    started = []

    def start(**env):
        server = Gunicorn(**env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
