"""On PostgreSQL the suite runs on the connection pool production gets by default
(dashboard/settings.py, DATABASE_POOL_SIZE): a connection the database dropped while it
sat in the pool is replaced before it is lent, so no request fails after a failover.
tests/servers/test_connection_pool.py checks the same through gunicorn, with the pool
sized from its threads."""

import pytest
from django.conf import settings
from django.db import connection

from tests.support.postgres import backends, terminate

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pool is PostgreSQL's"
)


def test_the_suite_runs_on_the_default_pool(db):
    connection.ensure_connection()
    assert connection.pool is not None
    assert connection.pool.min_size == connection.pool.max_size == settings.DATABASE_POOL_SIZE
    assert settings.DATABASE_POOL_SIZE == 4  # outside gunicorn, by default


def test_the_failover_sweep_is_in_place(db):
    """core.backends.postgresql swaps psycopg_pool's private check (`_check`) for one
    that sweeps the pool: if an upgrade renamed it, the sweep would stop silently."""
    from core.backends.postgresql.base import check_and_sweep

    connection.ensure_connection()
    assert connection.pool._check is check_and_sweep


def test_connections_dropped_in_the_pool_are_replaced_before_use(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        first = cursor.fetchone()[0]
    connection.close()  # back to the pool
    connection.pool.wait(timeout=10)  # every connection of the pool open
    dropped = backends()
    assert first in dropped and len(dropped) >= settings.DATABASE_POOL_SIZE
    terminate(*dropped)  # a failover
    for _ in range(settings.DATABASE_POOL_SIZE + 1):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] not in dropped
        connection.close()


@pytest.mark.parametrize("server_side", [True, False])
def test_csv_downloads_read_through_a_server_side_cursor_unless_turned_off(
    client_for, member, project, monkeypatch, server_side
):
    """DATABASE_SERVER_SIDE_CURSORS=0 (PgBouncer in transaction mode, settings'
    DISABLE_SERVER_SIDE_CURSORS): the download is the same, read without one."""
    from tests.factories import bulk_subprojects
    from tests.support.pages import csv_rows

    bulk_subprojects(project, 5)
    client = client_for(member)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side)
    named, real = [], connection.create_cursor

    def create_cursor(name=None):
        named.append(name)
        return real(name)

    monkeypatch.setattr(connection, "create_cursor", create_cursor)
    rows = csv_rows(client.get(f"/projects/{project.public_id}/subprojects.csv"))
    assert len(rows) == 5
    assert any(named) is server_side
