"""Real servers for tests: gunicorn instances of the project, and a private Redis.

The gunicorn instances serve the test database (PostgreSQL: the pytest-django test
database, which transactional tests commit to, so the servers see the test's rows) with
the real settings (tests/server_settings.py changes only the password hasher and static
storage), through the repository's gunicorn.conf.py.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SHARED_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


def require(condition: bool, reason: str) -> None:
    """Skip without the condition locally; fail in CI, which must run these tests."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI requires it.")
    pytest.skip(reason)


def require_postgresql() -> None:
    # Not a CI failure: CI runs the suite on SQLite too, where these tests cannot run
    # (the servers need a database they can share); its PostgreSQL pass runs them.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (CI does)")


def database_url(application_name: str = "") -> str:
    """The test database's URL; with `application_name`, the servers' connections carry
    it (pg_stat_activity tells them apart)."""
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    query = f"?application_name={application_name}" if application_name else ""
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}{query}"


class Gunicorn:
    """One app server: `gunicorn dashboard.wsgi` on a free port of 127.0.0.1."""

    def __init__(self, *, workers: int = 2, threads: int = 1, up_status: int = 200, **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - open while gunicorn runs
            prefix="gunicorn-", suffix=".log", delete=False
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.support.server_settings",
            "DATABASE_URL": database_url(),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [sys.executable, "-m", "gunicorn", "dashboard.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
        command += ["--threads", str(threads)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_until_up(up_status)

    def url(self, path: str) -> str:
        return self.base + path

    def _wait_until_up(self, status: int):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.output()}")
            try:
                if requests.get(self.url("/healthz"), timeout=2).status_code == status:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz in 30 s:\n{self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def server_errors(self) -> list[str]:
        """Lines of the log that tell of a 500 (Django's or gunicorn's own)."""
        return re.findall(r".*(?:Internal Server Error|Error handling request).*", self.output())


class PrivateRedis:
    """A redis-server of our own on a free port, which a test may stop (never the
    shared one)."""

    def __init__(self):
        binary = shutil.which("redis-server")
        require(binary is not None, "redis-server is not installed")
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        """Kill it (SIGKILL: an outage, not a shutdown)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def form_fields(html: str) -> dict[str, str]:
    """The hidden inputs of a page's form (csrfmiddlewaretoken, token …)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and value and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1)
    return fields


class ForwardingProxy:
    """A reverse proxy as a load balancer is set up (nginx's
    `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`): it appends the
    address it received the request from to X-Forwarded-For and passes the request on
    to `upstream` from its own address, 127.0.0.1."""

    HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}

    def __init__(self, upstream: str):
        import http.client
        import http.server
        import threading
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        hop_by_hop = self.HOP_BY_HOP

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
                headers.pop("X-Forwarded-For", None)
                seen = self.headers.get("X-Forwarded-For")
                client = self.client_address[0]
                headers["X-Forwarded-For"] = f"{seen}, {client}" if seen else client
                upstream_connection = http.client.HTTPConnection(
                    target.hostname, target.port, timeout=30
                )
                upstream_connection.request(self.command, self.path, body, headers)
                answer = upstream_connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in hop_by_hop:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream_connection.close()

            do_GET = do_POST = do_DELETE = do_PATCH = _forward

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def session_from(address: str) -> requests.Session:
    """A requests session whose connections leave from `address` (any 127.x.y.z is this
    machine), so that a proxy sees distinct clients."""
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", FromAddress())
    return session
