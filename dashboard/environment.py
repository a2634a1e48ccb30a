"""Reading settings from the environment, each value checked where it is read.

django-environ parses; these wrappers refuse what it would let through or turn into a
bare exception (`DATABASE_URL=notaurl` was `KeyError: 'ENGINE'`, `CONN_MAX_AGE=abc` a
`ValueError` naming nothing, `DEBUG=maybe` silently off). Every refusal is an
ImproperlyConfigured that names the variable, what it was given (never for a secret)
and what it accepts, so start-up stops with a message an operator can act on.
"""

import urllib.parse

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _refuse(name: str, value: str, accepts: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not valid: {name} accepts {accepts}.")


def string(name: str, default: str = "") -> str:
    return env.str(name, default=default)


def boolean(name: str, default: bool) -> bool:
    value = env.str(name, default="1" if default else "0").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _refuse(name, value, "a boolean: 1, true, yes, on or 0, false, no, off")


def integer(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env.str(name, default=str(default)).strip()
    accepts = "a whole number" + (f", {minimum} or more" if minimum is not None else "")
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, value, accepts) from None
    if minimum is not None and number < minimum:
        raise _refuse(name, value, accepts)
    return number


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.str(name, default=default).strip()
    if value not in choices:
        raise _refuse(name, value, " or ".join(choices))
    return value


def string_list(name: str, default: list[str]) -> list[str]:
    return env.list(name, default=default)


def http_url(name: str, default: str) -> str:
    value = env.str(name, default=default).strip()
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _refuse(name, value, "an http:// or https:// address")
    return value


def _scheme_of(value: str) -> str:
    return urllib.parse.urlsplit(value).scheme if "://" in value else ""


def _shown(value: str) -> str:
    """A URL as it may be printed: its password replaced by stars."""
    parts = urllib.parse.urlsplit(value)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return value


def database(name: str, default: str) -> dict:
    """A database URL (`postgres://user@host:5432/name`, `sqlite:///path`) as a
    DATABASES entry."""
    value = env.str(name, default=default).strip()
    if _scheme_of(value) not in environ.Env.DB_SCHEMES:
        raise _refuse(
            name,
            _shown(value),
            "a database URL such as postgres://user@host:5432/console or sqlite:///path/db.sqlite3",
        )
    config = environ.Env.db_url_config(value)
    if not config.get("NAME"):
        raise _refuse(name, _shown(value), "a database URL that names the database")
    return config


def cache(name: str, default: str) -> dict:
    """A cache URL (`redis://host:6379/1`, `dbcache://table`) as a CACHES entry."""
    value = env.str(name, default=default).strip()
    if _scheme_of(value) not in environ.Env.CACHE_SCHEMES:
        raise _refuse(
            name, _shown(value), "a cache URL such as redis://host:6379/1 or dbcache://django_cache"
        )
    return environ.Env.cache_url_config(value)


def email(name: str, default: str) -> dict:
    value = env.str(name, default="") or default
    if _scheme_of(value) not in environ.Env.EMAIL_SCHEMES:
        raise _refuse(
            name,
            _shown(value),
            "an email URL such as smtp+tls://user:password@host:587 or consolemail://",
        )
    return environ.Env.email_url_config(value)
