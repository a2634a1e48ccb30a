"""A benchmark's gunicorn on 127.0.0.1: a free port, and a server that answers."""

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    port: int,
    *,
    workers: int = 2,
    options=(),
    env=None,
    ready: str = "/healthz",
    seconds: float = 10,
    log=subprocess.DEVNULL,
) -> subprocess.Popen:
    """gunicorn serving the dashboard (this process's environment, or `env`; more of
    gunicorn's `options`), once `ready` answers (SystemExit if it does not within
    `seconds`). Its output goes to `log` (None: this process's)."""
    command = [sys.executable, "-m", "gunicorn", "dashboard.wsgi", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--access-logfile", "/dev/null", *options]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"gunicorn on port {port} did not start")


def stop(servers) -> None:
    """Stop the servers (`start_gunicorn`'s): TERM, then KILL whichever has not ended
    within 30 s (a loaded machine can take longer than 10 s to stop two workers)."""
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
