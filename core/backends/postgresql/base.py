"""PostgreSQL as Django's backend runs it, counted for Prometheus (django-prometheus),
with one change to its connection pool: after a failover, the dead connections go at once.

Django's pool (OPTIONS["pool"], dashboard/settings.py) checks each connection before it
lends it (CONN_HEALTH_CHECKS) and drops a dead one; psycopg_pool then tries the next only
after a back-off of about 1 s, then 2 s, 4 s… A failover kills every connection of the
pool at once, so a request would meet the dead ones one by one and outwait the pool's
timeout (a 503). Here the first dead connection makes the pool check all its idle ones
(ConnectionPool.check, which replaces the dead in the background): the request's second
try, after the first back-off, gets a new connection. tests/core/test_database_pool.py.
"""

from django_prometheus.db.backends.postgresql import base
from psycopg_pool import ConnectionPool


def check_and_sweep(conn) -> None:
    """ConnectionPool.check_connection; a dead connection also has its pool check the
    others."""
    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        conn._pool.check()
        raise


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        # Django passes ConnectionPool.check_connection when CONN_HEALTH_CHECKS is on.
        if pool is not None and pool._check is ConnectionPool.check_connection:
            pool._check = check_and_sweep
        return pool
