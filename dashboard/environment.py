"""Reading settings from the environment, each value checked where it is read.

django-environ parses; this checks what it would let through or turn into a bare
exception (`DATABASE_URL=notaurl` was `KeyError: 'ENGINE'`, `CONN_MAX_AGE=abc` a
`ValueError` naming nothing, `DEBUG=maybe` silently off). Every refusal is an
ImproperlyConfigured that names the variable, what it was given (a URL's password
starred) and what it accepts, so start-up stops with a message an operator can act on.
"""

import urllib.parse

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _refuse(name: str, value: str, accepts: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not valid: {name} accepts {accepts}.")


def _scheme_of(value: str) -> str:
    return urllib.parse.urlsplit(value).scheme if "://" in value else ""


def _shown(value: str) -> str:
    """A URL as it may be printed: its password replaced by stars."""
    parts = urllib.parse.urlsplit(value)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return value


class Env(environ.Env):
    """django-environ's Env (so `env("X")`, `env.int("X")`, `env.list(…)` still work)
    with every value checked: a value its typed readers cannot parse names the variable,
    `bool` refuses what is not a boolean, and the readers below add bounds and URL
    checks."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"{var} is not valid ({error}); .env.example says what it accepts."
            ) from None

    def bool(self, var, default=environ.Env.NOTSET):
        return self.boolean(var, default=False if default is environ.Env.NOTSET else default)

    def string(self, name: str, default: str = "") -> str:
        return self.str(name, default=default)

    def string_list(self, name: str, default: list[str]) -> list[str]:
        return self.list(name, default=default)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.str(name, default="1" if default else "0").strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise _refuse(name, value, "a boolean: 1, true, yes, on or 0, false, no, off")

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.str(name, default=str(default)).strip()
        accepts = "a whole number" + (f", {minimum} or more" if minimum is not None else "")
        try:
            number = int(value)
        except ValueError:
            raise _refuse(name, value, accepts) from None
        if minimum is not None and number < minimum:
            raise _refuse(name, value, accepts)
        return number

    def number(self, name: str, default: float, *, minimum: float) -> float:
        value = self.str(name, default=str(default)).strip()
        accepts = f"a number, {minimum:g} or more"
        try:
            number = float(value)
        except ValueError:
            raise _refuse(name, value, accepts) from None
        if not number >= minimum:  # also refuses nan
            raise _refuse(name, value, accepts)
        return number

    def integer_list(self, name: str, default: list[int], *, minimum: int = 0) -> list[int]:
        raw = self.str(name, default=",".join(map(str, default))).strip()
        accepts = f"whole numbers, {minimum} or more, separated by commas"
        try:
            numbers = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise _refuse(name, raw, accepts) from None
        if any(n < minimum for n in numbers):
            raise _refuse(name, raw, accepts)
        return numbers

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.str(name, default=default).strip()
        if value not in choices:
            raise _refuse(name, value, " or ".join(choices))
        return value

    def http_url(self, name: str, default: str) -> str:
        value = self.str(name, default=default).strip()
        parts = urllib.parse.urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _refuse(name, value, "an http:// or https:// address")
        return value

    def database(self, name: str, default: str) -> dict:
        """A database URL (`postgres://user@host:5432/name`, `sqlite:///path`) as a
        DATABASES entry."""
        value = self.str(name, default=default).strip()
        if _scheme_of(value) not in self.DB_SCHEMES:
            raise _refuse(
                name,
                _shown(value),
                "a database URL such as postgres://user@host:5432/console or "
                "sqlite:///path/db.sqlite3",
            )
        config = self.db_url_config(value)
        if not config.get("NAME"):
            raise _refuse(name, _shown(value), "a database URL that names the database")
        return config

    def cache(self, name: str, default: str) -> dict:
        """A cache URL (`redis://host:6379/1`, `dbcache://table`) as a CACHES entry."""
        value = self.str(name, default=default).strip()
        if _scheme_of(value) not in self.CACHE_SCHEMES:
            raise _refuse(
                name,
                _shown(value),
                "a cache URL such as redis://host:6379/1 or dbcache://django_cache",
            )
        return self.cache_url_config(value)

    def email(self, name: str, default: str) -> dict:
        value = self.str(name, default="") or default
        if _scheme_of(value) not in self.EMAIL_SCHEMES:
            raise _refuse(
                name,
                _shown(value),
                "an email URL such as smtp+tls://user:password@host:587 or consolemail://",
            )
        return self.email_url_config(value)


env = Env()
