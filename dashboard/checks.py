"""`manage.py check --deploy` connects to the database and the cache.

Django's own deploy checks read settings only, so a wrong host, password or missing
cache table passed every check and was found by the first request. These run with
`--deploy` only (never on every `manage.py` command) and name what failed without the
URL's password.
"""

from django.core.cache import caches
from django.core.checks import Error, register
from django.db import DatabaseError, connections


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error) else ''}"


@register("backends", deploy=True)
def backends_answer(app_configs=None, **kwargs):
    errors = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            errors.append(
                Error(
                    f"The database {alias!r} (DATABASE_URL) does not answer: {_reason(error)}",
                    hint="Check DATABASE_URL's host, port, name, user and password.",
                    id="console.E001",
                )
            )
    for alias in caches:
        try:
            caches[alias].get("deploy-check")
        except Exception as error:  # any backend's failure is the finding
            errors.append(
                Error(
                    f"The cache {alias!r} (CACHE_URL) does not answer: {_reason(error)}",
                    hint=(
                        "Check CACHE_URL; with the database cache, run "
                        "`manage.py createcachetable`."
                    ),
                    id="console.E002",
                )
            )
    return errors
