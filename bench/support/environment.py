"""The environment of a benchmark's app server: production settings (DEBUG off) with
fresh secrets, plain HTTP on 127.0.0.1, local state in a temporary folder."""

import secrets


def server_environment(tmp: str, *, log_level: str = "ERROR") -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ACCESS_KEY_PEPPER": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": tmp,
        "LOG_LEVEL": log_level,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings",
    }
