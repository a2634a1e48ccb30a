"""What authentication costs a list request: authenticated / unauthenticated >= 0.9,
with HTTP Basic and with a bearer token, in process and under gunicorn.

Two baselines without credentials (BASELINES): "bypassed", a fixed Principal whose
project is already in memory (the request reads nothing for it: the strict one, which
the target is judged on), and "unauthenticated", the route's project read by its ID
through the ORM, as an API without credentials must find it (the key lookup reads it in
the same query as the key, so this one is context: what the lookup saves).

(a) In process (Django's test client), GET /api/v1/projects/{id}/accessKeys with HTTP
    Basic, with a bearer token, and with each baseline, interleaved request by request
    (a busy machine slows them all alike); medians and ratios (baseline time /
    authenticated time), by the wall clock and by the thread's CPU time. The request
    runs in this thread (SQLite too), so its CPU time is what it costs, which other
    processes on a shared machine do not inflate (they do the wall clock's: waiting for
    a core; on PostgreSQL the wall clock also holds the server's work and the round
    trip); the target is judged on the CPU time here.
(b) Under gunicorn (2 workers each): the product, and the same app with each baseline
    (bench/support/gunicorn_noauth.py); rounds of the baselines, Basic and bearer in
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


BASELINES = {
    "bypassed": "authentication bypassed",
    "unauthenticated": "no credentials, reads project",
}


def in_process(path, headers: dict, key, requests: int) -> dict:
    """{clock: {name: median µs}} of the same GET with each Authorization header in
    `headers` and with each of the BASELINES, interleaved request by request; by the
    wall clock and by the CPU time of this thread (which other processes on a shared
    machine do not inflate: the request runs in this thread, SQLite included)."""
    from django.test import Client

    from bench.support.unauthenticated import reading_project
    from projects.api import auth
    from projects.models import AccessKey

    client = Client(HTTP_HOST="127.0.0.1")
    real = auth.authenticate
    fixed = auth.Principal(key=AccessKey.objects.select_related("project").get(pk=key.pk))
    replacements = {
        "bypassed": lambda request, target=None: fixed,
        "unauthenticated": lambda request, target=None: reading_project(fixed, target),
    }
    clocks = {"wall": time.perf_counter_ns, "cpu": time.thread_time_ns}
    times = {clock: {name: [] for name in [*headers, *BASELINES]} for clock in clocks}

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
            for name, replacement in replacements.items():
                auth.authenticate = replacement
                timed(name)
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
    """{name: [req/s of each round]}: each of the BASELINES, then each header, round
    after round."""
    from bench.access_keys import requests_per_second
    from bench.support.server import free_port, start_gunicorn

    env = {**os.environ, "PYTHONWARNINGS": "ignore:No directory at"}  # no collectstatic
    noauth = ["-c", str(ROOT / "bench/support/gunicorn_noauth.py")]
    ports = {name: free_port() for name in ["product", *BASELINES]}
    servers = [start_gunicorn(ports["product"], env=env, seconds=30, log=None)]
    for name in BASELINES:
        reads = "1" if name == "unauthenticated" else "0"
        noauth_env = {**env, "BENCH_NOAUTH_KEY_ID": key_id, "BENCH_NOAUTH_READS_PROJECT": reads}
        servers.append(
            start_gunicorn(ports[name], options=noauth, env=noauth_env, seconds=30, log=None)
        )
    found = {name: [] for name in [*BASELINES, *headers]}
    try:
        for _ in range(rounds):
            for name in BASELINES:
                found[name].append(requests_per_second(ports[name], path, {}, seconds))
            for name, header in headers.items():
                found[name].append(
                    requests_per_second(ports["product"], path, {"Authorization": header}, seconds)
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

    template = path.replace(project.public_id, "{id}")
    print(f"(a) GET {template} in process ({vendor}), interleaved, median of {options.requests}")
    print(f"    {'':30}{'wall clock':>12}{'CPU time':>12}   ratios: wall, CPU")
    judged = []
    for name in [*BASELINES, *headers]:
        wall, cpu = medians["wall"][name], medians["cpu"][name]
        line = f"    {BASELINES.get(name, name):<30}{wall:9.0f} µs{cpu:9.0f} µs"
        if name not in BASELINES:
            for baseline in BASELINES:
                ratio_wall = medians["wall"][baseline] / wall
                ratio_cpu = medians["cpu"][baseline] / cpu
                line += f"   {ratio_wall:.2f}, {ratio_cpu:.2f} vs {baseline}"
                if baseline == "bypassed":
                    judged.append(ratio_cpu)
        print(line)
    print(
        f"(b) the same under gunicorn -w 2 ({vendor}), {options.rounds} rounds of "
        f"{options.seconds:g} s each, interleaved, median req/s"
    )
    medians_rps = {name: statistics.median(values) for name, values in rps.items()}
    for name in [*BASELINES, *headers]:
        line = f"    {BASELINES.get(name, name):<30}{medians_rps[name]:9.0f} req/s  "
        line += f"({_rounds(rps[name])})"
        if name not in BASELINES:
            for baseline in BASELINES:
                ratio = medians_rps[name] / medians_rps[baseline]
                line += f"   {ratio:.2f} vs {baseline}"
                if baseline == "bypassed":
                    judged.append(ratio)
        print(line)
    met = min(judged) >= TARGET
    verdict = "met" if met else "NOT MET"
    print(
        f"    lowest ratio against authentication bypassed {min(judged):.2f} "
        f"(CPU time in process, req/s under gunicorn; target at least {TARGET}): {verdict}"
    )
    return 0 if met else 1


def _rounds(values) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
