"""The environment of a benchmark: production settings (DEBUG off) with fresh secrets,
plain HTTP, local state in a temporary folder; and Django set up in the benchmark's own
process, for the test client."""

import os
import secrets


def server_environment(
    tmp: str, *, log_level: str = "ERROR", allowed_hosts: str = "127.0.0.1"
) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ACCESS_KEY_PEPPER": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": allowed_hosts,
        "VAR_DIR": tmp,
        "LOG_LEVEL": log_level,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
    }


def plain_static() -> None:
    """No collectstatic in a benchmark: static URLs without the manifest (DEBUG stays
    off)."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def setup_django(*, test_environment: bool = True) -> None:
    """django.setup() for pages requested in this process: static URLs without the
    manifest, a fast password hasher (many users sign in); with `test_environment`,
    Django's test environment too (the test client's host, mail kept in memory)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    if test_environment:
        setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    plain_static()


def configure(tmp: str, *, allowed_hosts: str = "127.0.0.1") -> bool:
    """The environment of this process and of the servers it starts (server_environment),
    on a throwaway SQLite database in `tmp` unless DATABASE_URL names one: True when the
    database is the benchmark's own."""
    own_database = not os.environ.get("DATABASE_URL")
    os.environ.update(server_environment(tmp, allowed_hosts=allowed_hosts))
    if own_database:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    return own_database


def create_tables() -> None:
    """The schema in the benchmark's database: the migrations and the cache table."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
