"""Does a password reset request take longer for an address with an account?

POST /accounts/password/reset/ under gunicorn (1 worker, requests one at a time), for an
address that belongs to an active user and for one that belongs to nobody, interleaved
request by request (a busy machine slows both alike); the median of each and their
ratio. Target: the ratio (known / unknown) within 0.9 to 1.1 (ADR 0112: the request
enqueues the same task for every address and sends nothing itself).

As in production: DEBUG off, the database task queue (no worker runs, so nothing is
sent), and email through SMTP, to a sink on 127.0.0.1 in this process that takes
SMTP_DELAY seconds per message like a distant relay: were the request to send mail for
a known address, its median would grow by that much. Every request uses an address of
its own and a forwarded client address of its own (TRUSTED_PROXIES=127.0.0.1), so the
reset throttle (5 an hour per email, 20 per client address) never answers instead.

A throwaway SQLite database in a temporary folder; only 127.0.0.1.
Usage: .venv/bin/python bench/password_reset_timing.py [--requests 300]
       [--smtp-delay 0.05]
"""

import argparse
import os
import re
import socketserver
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = (0.9, 1.1)
PATH = "/accounts/password/reset/"


class SlowSmtp(socketserver.StreamRequestHandler):
    """Enough SMTP to take a message, slowly: counts what it receives."""

    delay = 0.05
    received = 0

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 bench sink")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "DATA":
                self.reply("354 go on")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                time.sleep(self.delay)
                type(self).received += 1
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def start_sink(delay: float) -> socketserver.ThreadingTCPServer:
    SlowSmtp.delay = delay
    sink = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowSmtp)
    sink.daemon_threads = True
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    return sink


def ask(session: requests.Session, base: str, email: str, client: str) -> float:
    """One reset request as a browser makes it (the form, then the POST); the POST's
    time in ms."""
    page = session.get(base + PATH, timeout=10)
    assert page.status_code == 200, (page.status_code, page.text[:500])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    # The cookies are Secure (DEBUG off): sent by hand over this plain HTTP.
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    started = time.perf_counter_ns()
    answer = session.post(
        base + PATH,
        data={"email": email, "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": client, "Referer": base + PATH, "Cookie": cookies},
        allow_redirects=False,
        timeout=10,
    )
    elapsed = (time.perf_counter_ns() - started) / 1e6
    assert answer.status_code == 302, (answer.status_code, answer.text[:300])
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="of each kind")
    parser.add_argument("--smtp-delay", type=float, default=0.05, help="seconds per message")
    options = parser.parse_args()

    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic here
    sink = start_sink(options.smtp_delay)
    with tempfile.TemporaryDirectory() as tmp:
        from bench.support.environment import configure, create_tables, setup_django
        from bench.support.server import free_port, start_gunicorn, stop

        os.environ.pop("DATABASE_URL", None)  # always a throwaway database
        configure(tmp)
        os.environ.update(
            {
                "EMAIL_URL": f"smtp://127.0.0.1:{sink.server_address[1]}",
                "TRUSTED_PROXIES": "127.0.0.1",
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            }
        )
        setup_django(test_environment=False)
        create_tables()
        from accounts.models import User

        total = options.requests + 20  # and a warm-up
        User.objects.bulk_create(
            [User(email=f"known{i}@example.com", password="!") for i in range(total)]
        )
        port = free_port()
        plain = ["-c", str(ROOT / "bench/support/gunicorn_plain_static.py")]
        server = start_gunicorn(port, workers=1, options=plain, env=dict(os.environ), seconds=30)
        base = f"http://127.0.0.1:{port}"
        times = {"known": [], "unknown": []}
        try:
            session = requests.Session()
            for i in range(total):
                for kind in times:
                    client = f"127.{(i // 250) % 250}.{i % 250}.{1 if kind == 'known' else 2}"
                    elapsed = ask(session, base, f"{kind}{i}@example.com", client)
                    if i >= 20:
                        times[kind].append(elapsed)
        finally:
            stop([server])
            sink.shutdown()
        from django_tasks_db.models import DBTaskResult

        queued = DBTaskResult.objects.count()

    known, unknown = (statistics.median(times[kind]) for kind in ("known", "unknown"))
    ratio = known / unknown
    low, high = TARGET
    met = low <= ratio <= high
    print(
        f"POST {PATH} under gunicorn -w 1 (SQLite, database task queue, SMTP sink "
        f"{options.smtp_delay * 1000:.0f} ms a message), interleaved, median of "
        f"{options.requests} each"
    )
    print(f"    known address      {known:7.1f} ms")
    print(f"    unknown address    {unknown:7.1f} ms")
    verdict = "met" if met else "NOT MET"
    print(f"    ratio known/unknown {ratio:.3f} (target {low} to {high}): {verdict}")
    sent = SlowSmtp.received
    print(f"    tasks queued: {queued} (one per request); mail sent during requests: {sent}")
    return 0 if met and SlowSmtp.received == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
