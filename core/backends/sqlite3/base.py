"""SQLite as Django's backend runs it, counted for Prometheus with django-prometheus's
metrics, by a counting cursor made once per connection.

django-prometheus's own SQLite backend builds a new cursor class for every cursor and
looks each metric's labelled child up on every statement: about 40 µs of every query,
a sixth of an API request's key lookup (bench/auth_cost.py). The class and the children
depend only on the connection's alias and vendor, so they are made once per connection
here and count the same (tests/dashboard/test_metrics_endpoint.py). On PostgreSQL
django-prometheus already makes its class once per connection.
"""

import time

from django_prometheus.db import (
    errors_total,
    execute_many_total,
    execute_total,
    query_duration_seconds,
)
from django_prometheus.db.backends.sqlite3 import base


def counting_cursor(cursor_class, alias: str, vendor: str):
    """`cursor_class`, counting its statements, their errors and durations."""
    executed = execute_total.labels(alias, vendor)
    executed_many = execute_many_total.labels(alias, vendor)
    duration = query_duration_seconds.labels(alias, vendor)

    class CountingCursor(cursor_class):
        def execute(self, *args, **kwargs):
            executed.inc()
            return _counted(super().execute, *args, **kwargs)

        def executemany(self, query, param_list, *args, **kwargs):
            executed.inc(len(param_list))
            executed_many.inc(len(param_list))
            return _counted(super().executemany, query, param_list, *args, **kwargs)

    def _counted(run, *args, **kwargs):
        started = time.perf_counter()
        try:
            return run(*args, **kwargs)
        except Exception as error:
            errors_total.labels(alias, vendor, type(error).__name__).inc()
            raise
        finally:
            duration.observe(time.perf_counter() - started)

    return CountingCursor


class DatabaseWrapper(base.DatabaseWrapper):
    _counting_cursor = None

    def create_cursor(self, name=None):
        if self._counting_cursor is None:
            self._counting_cursor = counting_cursor(self.CURSOR_CLASS, self.alias, self.vendor)
        return self.connection.cursor(factory=self._counting_cursor)
