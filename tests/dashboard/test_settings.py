"""The deployment promises: secure by default, and explicit about what is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    # Start from the shell's environment less everything the settings read.
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests, never for a deployment.
    ours = (
        "SECRET_KEY",
        "DEBUG",
        "ACCESS_KEY_PEPPER",
        "SECURE_",
        "SESSION_",
        "CSRF_",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DATABASE_URL",
        "CACHE_URL",
        "CONN_",
        "GUNICORN_",
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "x7Jq2-production-like-secret-Zr9vLw0pQm3Tn8sKd4Yb6Hc1Ue5Gf",
    "ACCESS_KEY_PEPPER": "another-production-like-secret-value",
    "ALLOWED_HOSTS": "console.example.com",
    "DEBUG": "0",
}


def test_check_deploy_is_clean_with_only_secret_key_and_hosts(tmp_path):
    # The deploy check connects to the database and the cache: set up as a deploy does.
    for step in ("migrate", "createcachetable"):
        ran = manage(step, **PRODUCTION, VAR_DIR=str(tmp_path))
        assert ran.returncode == 0, ran.stderr
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_connects_to_the_database_and_the_cache(tmp_path):
    nowhere = "postgres://console:hunter2@127.0.0.1:9/console"  # the discard port
    result = manage("check", "--deploy", **PRODUCTION, VAR_DIR=str(tmp_path), DATABASE_URL=nowhere)
    assert result.returncode != 0
    assert "console.E001" in result.stderr and "DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    # SQLite answers, but the database cache's table was never made.
    result = manage("check", "--deploy", **PRODUCTION, VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "console.E002" in result.stderr and "createcachetable" in result.stderr


def test_secret_key_is_required_without_debug(tmp_path):
    result = manage("check", DEBUG="0", VAR_DIR=str(tmp_path), ACCESS_KEY_PEPPER="p")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_makes_a_local_secret(tmp_path):
    result = manage("check", DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key.txt").read_text()


@pytest.mark.parametrize(
    ("name", "value", "accepts"),
    [
        ("DATABASE_URL", "notaurl", "a database URL"),
        ("CONN_MAX_AGE", "abc", "a whole number"),
        ("CONN_MAX_AGE", "-1", "a whole number, 0 or more"),
        ("DATABASE_POOL_SIZE", "-1", "a whole number, 0 or more"),
        ("DATABASE_POOL_SIZE", "some", "a whole number, 0 or more"),
        ("DATABASE_SERVER_SIDE_CURSORS", "maybe", "a boolean"),
        ("DEBUG", "maybe", "a boolean"),
        ("SECURE_HSTS_SECONDS", "1y", "a whole number"),
        ("CACHE_URL", "memcache", "a cache URL"),
        ("EMAIL_URL", "mail.example.com", "an email URL"),
        ("SITE_URL", "console.example.com", "an http:// or https:// address"),
        ("LOG_FORMAT", "xml", "json or plain"),
        ("USAGE_RECORD_RETENTION_DAYS", "0", "a whole number, 1 or more"),
        ("SCHEDULE_TICK", "0", "a whole number, 1 or more"),
        ("EMAIL_RETRY_SCHEDULE", "30,soon", "whole numbers, 0 or more, separated by commas"),
    ],
)
def test_a_wrong_value_stops_start_up_naming_the_variable(tmp_path, name, value, accepts):
    result = manage("check", **{**PRODUCTION, name: value}, VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert f"{name}={value!r} is not valid: {name} accepts {accepts}" in last_line


POSTGRES = "postgres://console@127.0.0.1:9/console"  # read, never connected to


def database_settings(**env) -> dict:
    """settings.DATABASES["default"] as the settings module makes it from `env`."""
    code = (
        "import json, dashboard.settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({k: d.get(k) for k in "
        "('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'OPTIONS', 'DISABLE_SERVER_SIDE_CURSORS')}))"
    )
    ran = manage_python(code, **{**PRODUCTION, **env})
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def manage_python(code: str, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CONN_"))}
    clean.pop("GUNICORN_THREADS", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_postgresql_gets_a_pool_sized_from_gunicorns_threads(tmp_path):
    default = database_settings(DATABASE_URL=POSTGRES, VAR_DIR=str(tmp_path))
    assert default["OPTIONS"]["pool"] == {"min_size": 4, "max_size": 4, "timeout": 2}
    assert default["CONN_MAX_AGE"] == 0 and default["CONN_HEALTH_CHECKS"] is True
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is False
    # A gunicorn worker (gunicorn.conf.py passes its --threads on): one per thread.
    worker = database_settings(DATABASE_URL=POSTGRES, GUNICORN_THREADS="8", VAR_DIR=str(tmp_path))
    assert worker["OPTIONS"]["pool"]["max_size"] == worker["OPTIONS"]["pool"]["min_size"] == 8
    sized = database_settings(
        DATABASE_URL=POSTGRES, GUNICORN_THREADS="8", DATABASE_POOL_SIZE="3", VAR_DIR=str(tmp_path)
    )
    assert sized["OPTIONS"]["pool"]["max_size"] == 3
    # Off: persistent connections as before, checked before use.
    persistent = database_settings(
        DATABASE_URL=POSTGRES, DATABASE_POOL_SIZE="0", CONN_MAX_AGE="600", VAR_DIR=str(tmp_path)
    )
    assert not (persistent["OPTIONS"] or {}).get("pool") and persistent["CONN_MAX_AGE"] == 600
    assert persistent["CONN_HEALTH_CHECKS"] is True
    behind_pgbouncer = database_settings(
        DATABASE_URL=POSTGRES, DATABASE_SERVER_SIDE_CURSORS="0", VAR_DIR=str(tmp_path)
    )
    assert behind_pgbouncer["DISABLE_SERVER_SIDE_CURSORS"] is True
    # SQLite has no pool.
    sqlite = database_settings(VAR_DIR=str(tmp_path))
    assert "pool" not in sqlite["OPTIONS"]


def test_persistent_connections_and_the_pool_are_not_both_asked_for(tmp_path):
    ran = manage_python(
        "import dashboard.settings",
        **PRODUCTION,
        DATABASE_URL=POSTGRES,
        CONN_MAX_AGE="600",
        VAR_DIR=str(tmp_path),
    )
    assert ran.returncode != 0
    last_line = ran.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: CONN_MAX_AGE=600 cannot be used with the connection pool" in (
        last_line
    )
    assert "set DATABASE_POOL_SIZE=0" in last_line


def test_a_database_url_password_is_never_printed(tmp_path):
    result = manage(
        "check", **PRODUCTION, VAR_DIR=str(tmp_path), DATABASE_URL="nosuch://u:hunter2@h/db"
    )
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr


def test_django_environs_own_readers_name_the_variable_too(monkeypatch):
    """Settings added later with env.int(…) or env.bool(…) are checked as well."""
    from django.core.exceptions import ImproperlyConfigured

    from dashboard.environment import env

    monkeypatch.setenv("SOME_COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_COUNT"):
        env.int("SOME_COUNT", default=1)
    monkeypatch.setenv("SOME_SWITCH", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_SWITCH='maybe' is not valid"):
        env.bool("SOME_SWITCH", default=False)
    monkeypatch.setenv("SOME_SWITCH", "yes")
    assert env.bool("SOME_SWITCH") is True
