"""Email through Django's backend: the console with DEBUG (`make run` prints the links),
SMTP from EMAIL_URL, SMTP on localhost otherwise; tests use locmem."""

import json

from django.conf import settings

from tests.dashboard.test_settings import manage

PRINT = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
    "for k in ('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', "
    "'EMAIL_HOST_USER', 'DEFAULT_FROM_EMAIL')}))"
)


def email_settings(tmp_path, **env):
    result = manage("shell", "-v", "0", "-c", PRINT, VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_prints_emails(tmp_path):
    found = email_settings(tmp_path, DEBUG="1", EMAIL_URL="")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_smtp_from_email_url(tmp_path):
    found = email_settings(
        tmp_path,
        DEBUG="1",
        EMAIL_URL="smtp+tls://mailer:s3cret@smtp.example.com:587",
        DEFAULT_FROM_EMAIL="Console <console@example.com>",
    )
    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
        "EMAIL_HOST_USER": "mailer",
        "DEFAULT_FROM_EMAIL": "Console <console@example.com>",
    }


def test_production_defaults_to_smtp_on_localhost(tmp_path):
    found = email_settings(
        tmp_path,
        DEBUG="0",
        EMAIL_URL="",
        SECRET_KEY="x7Jq2-production-like-secret-Zr9vLw0pQm3Tn8sKd4Yb6Hc1Ue5Gf",
        ACCESS_KEY_PEPPER="another-production-like-secret-value",
    )
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("localhost", 25)


def test_tests_keep_emails_in_memory():
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
