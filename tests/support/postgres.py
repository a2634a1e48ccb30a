"""Doing to the test database's connections what a failover or an administrator does
(PostgreSQL tests): ending their backends from a connection of our own."""

import psycopg
from django.db import connection


def _admin():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


def terminate(*pids: int) -> None:
    """End these backends (pg_terminate_backend), as a failover ends every one."""
    with _admin() as other:
        for pid in pids:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])


def backends(application_name: str | None = None) -> list[int]:
    """The backends connected to the test database (those of `application_name` only,
    when given), our own look-up's left out."""
    query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    query += " AND pid <> pg_backend_pid()"
    params = []
    if application_name is not None:
        query += " AND application_name = %s"
        params.append(application_name)
    with _admin() as other:
        return [pid for (pid,) in other.execute(query, params).fetchall()]
