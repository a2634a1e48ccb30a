"""A benchmark's gunicorn on 127.0.0.1: a free port, and a server that answers /healthz."""

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, *, workers: int = 2) -> subprocess.Popen:
    """gunicorn serving the dashboard with this process's environment, once /healthz
    answers (SystemExit if it does not within 10 s)."""
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "dashboard.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--access-logfile", "/dev/null"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")
