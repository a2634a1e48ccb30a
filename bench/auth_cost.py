"""What authentication costs a list request: authenticated / unauthenticated >= 0.9,
with HTTP Basic and with a bearer token, in process and under gunicorn.

(a) In process (Django's test client), GET /api/v1/projects/{id}/accessKeys with HTTP
    Basic, with a bearer token, and with authentication replaced by a fixed Principal,
    interleaved request by request (a busy machine slows all three alike); medians, and
    each authenticated request's requests per second as a share of the bypassed one's,
    by the wall clock and by the thread's CPU time. The request runs in this thread
    (SQLite too), so its CPU time is what it costs, which other processes on a shared
    machine do not inflate (they do the wall clock's: waiting for a core); the target
    is judged on the CPU time here, and on requests per second under gunicorn.
(b) Under gunicorn (2 workers each): the product, and the same app with authentication
    bypassed (bench/support/gunicorn_noauth.py); rounds of bypassed, Basic and bearer in
    turn; medians of requests per second and their ratios.
(c) With --profile: pyinstrument's profile of the Basic requests in process.

Target: every ratio at least 0.9 (authentication at most 10 % of a list request).
Revocation is not traded for it: every request reads the key again (a revoked key is
refused on its next request on every server: tests/servers/test_two_servers.py).

A throwaway SQLite database, or the database DATABASE_URL names (PostgreSQL: a migrated
database that may be written to; the bench's projects are deleted at the end).
Usage: .venv/bin/python bench/auth_cost.py [--requests 2000] [--seconds 3] [--rounds 5]
       [--profile]
"""

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 0.9


def in_process(path, headers: dict, key, requests: int) -> dict:
    """{clock: {name: median µs}} of the same GET with each Authorization header in
    `headers` and with authentication bypassed, interleaved request by request; by the
    wall clock and by the CPU time of this thread (which other processes on a shared
    machine do not inflate: the request runs in this thread, SQLite included)."""
    from django.test import Client

    from projects.api import auth
    from projects.models import AccessKey

    client = Client(HTTP_HOST="127.0.0.1")
    real = auth.authenticate
    fixed = auth.Principal(key=AccessKey.objects.select_related("project").get(pk=key.pk))
    clocks = {"wall": time.perf_counter_ns, "cpu": time.thread_time_ns}
    times = {clock: {name: [] for name in [*headers, "bypassed"]} for clock in clocks}

    def timed(name, **kwargs):
        started = {clock: read() for clock, read in clocks.items()}
        response = client.get(path, **kwargs)
        for clock, read in clocks.items():
            times[clock][name].append(read() - started[clock])
        assert response.status_code == 200, response.content

    for _ in range(50):  # warm up
        for header in headers.values():
            client.get(path, headers={"Authorization": header})
    try:
        for _ in range(requests):
            for name, header in headers.items():
                timed(name, headers={"Authorization": header})
            auth.authenticate = lambda request, target=None: fixed
            timed("bypassed")
            auth.authenticate = real
    finally:
        auth.authenticate = real
    return {
        clock: {name: statistics.median(values) / 1000 for name, values in found.items()}
        for clock, found in times.items()
    }


def profile(path, header, requests: int) -> str:
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST="127.0.0.1")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(min(requests, 500)):
        client.get(path, headers={"Authorization": header})
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def under_gunicorn(path, headers: dict, key_id: str, seconds: float, rounds: int) -> dict:
    """{name: [req/s of each round]}: bypassed, then each header, round after round."""
    from bench.access_keys import requests_per_second
    from bench.support.server import free_port, start_gunicorn

    port_auth, port_open = free_port(), free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore:No directory at"}  # no collectstatic
    noauth = ["-c", str(ROOT / "bench/support/gunicorn_noauth.py")]
    servers = [
        start_gunicorn(port_auth, env=env, seconds=30, log=None),
        start_gunicorn(
            port_open,
            options=noauth,
            env={**env, "BENCH_NOAUTH_KEY_ID": key_id},
            seconds=30,
            log=None,
        ),
    ]
    found = {name: [] for name in ["bypassed", *headers]}
    try:
        for _ in range(rounds):
            found["bypassed"].append(requests_per_second(port_open, path, {}, seconds))
            for name, header in headers.items():
                found[name].append(
                    requests_per_second(port_auth, path, {"Authorization": header}, seconds)
                )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="in process, each kind")
    parser.add_argument("--seconds", type=float, default=3, help="per gunicorn measurement")
    parser.add_argument("--rounds", type=int, default=5, help="gunicorn rounds")
    parser.add_argument("--profile", action="store_true", help="pyinstrument, Basic")
    options = parser.parse_args()

    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic here
    with tempfile.TemporaryDirectory() as tmp:
        from bench.support.environment import configure, setup_django

        own_database = configure(tmp)
        setup_django(test_environment=False)
        from django.db import connection

        from bench.support.environment import create_tables

        if own_database:
            create_tables()
        from accounts.models import Account
        from projects import services
        from projects.api import auth

        account = Account.objects.create(name="Bench auth cost")
        try:
            project = services.project_create(account=account, name="Bench")
            key, secret = services.access_key_create(project=project, display_name="bench")
            for i in range(4):  # a realistic page: a few keys
                services.access_key_create(project=project, display_name=f"other {i}")
            path = f"/api/v1/projects/{project.public_id}/accessKeys"
            basic = base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
            headers = {
                "Basic": f"Basic {basic}",
                "bearer": f"Bearer {auth.issue_token(key)}",
            }
            vendor = connection.vendor
            if options.profile:
                print(profile(path, headers["Basic"], options.requests))
            medians = in_process(path, headers, key, options.requests)
            rps = under_gunicorn(path, headers, key.key_id, options.seconds, options.rounds)
        finally:
            if not own_database:
                from bench.support.cleanup import delete_family

                delete_family(project)
                account.delete()

    ratios = []
    template = path.replace(project.public_id, "{id}")
    print(f"(a) GET {template} in process ({vendor}), interleaved, median of {options.requests}")
    print("                              wall clock          CPU time of the thread")
    for name in ["bypassed", *headers]:
        wall, cpu = medians["wall"][name], medians["cpu"][name]
        line = f"    {'authentication bypassed' if name == 'bypassed' else name:<25} "
        line += f"{wall:8.0f} µs{'':10}{cpu:8.0f} µs"
        if name != "bypassed":
            ratio_wall = medians["wall"]["bypassed"] / wall
            ratio_cpu = medians["cpu"]["bypassed"] / cpu
            ratios.append(ratio_cpu)
            line += f"   ratio {ratio_wall:.2f} wall, {ratio_cpu:.2f} CPU"
        print(line)
    print(
        f"(b) the same under gunicorn -w 2 ({vendor}), {options.rounds} rounds of "
        f"{options.seconds:g} s each, interleaved, median req/s"
    )
    open_rps = statistics.median(rps["bypassed"])
    print(f"    authentication bypassed   {open_rps:8.0f} req/s  ({_rounds(rps['bypassed'])})")
    for name in headers:
        got = statistics.median(rps[name])
        ratio = got / open_rps
        ratios.append(ratio)
        print(f"    {name:<25} {got:8.0f} req/s  ({_rounds(rps[name])})   ratio {ratio:.2f}")
    met = min(ratios) >= TARGET
    verdict = "met" if met else "NOT MET"
    print(f"    lowest ratio {min(ratios):.2f} (target at least {TARGET}): {verdict}")
    return 0 if met else 1


def _rounds(values) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
