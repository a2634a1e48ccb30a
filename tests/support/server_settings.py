"""Settings of the gunicorn servers that tests/servers/ start: the real settings, with
two changes that only save time in tests (a fast password hasher, static files served
without running collectstatic first)."""

from dashboard.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
