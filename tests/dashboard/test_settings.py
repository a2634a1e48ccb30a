"""The deployment promises: secure by default, and explicit about what is missing."""

import os
import subprocess
import sys
from pathlib import Path

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


def test_check_deploy_is_clean_with_only_secret_key_and_hosts(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x7Jq2-production-like-secret-Zr9vLw0pQm3Tn8sKd4Yb6Hc1Ue5Gf",
        ACCESS_KEY_PEPPER="another-production-like-secret-value",
        ALLOWED_HOSTS="console.example.com",
        DEBUG="0",
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_without_debug(tmp_path):
    result = manage("check", DEBUG="0", VAR_DIR=str(tmp_path), ACCESS_KEY_PEPPER="p")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_makes_a_local_secret(tmp_path):
    result = manage("check", DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key.txt").read_text()
