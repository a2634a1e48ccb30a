"""What authentication costs a list request: authenticated / unauthenticated >= 0.9,
with HTTP Basic and with a bearer token, in process and under gunicorn.

Three baselines without credentials (BASELINES), the same request with authentication
removed:
- "finds project" (judged): the route's project found by its Project ID with the key
  lookup's own hand-written query minus the key (bench.support.unauthenticated): what
  the request must still do without credentials. The key lookup reads the route's
  project in the key's query (projects.api.auth.key_by_sql), so authentication's cost is
  what that query adds for the key, plus the credentials' parsing and hash and the
  key's activity;
- "bypassed" (context, the strictest): a fixed Principal whose project is already in
  memory, so the request reads nothing for it; against it, authentication is also
  charged for finding the route's project, and on PostgreSQL for a round trip;
- "reads project (ORM)" (context): the project read through the ORM, as a route
  written without the hand-written lookup would.

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

Target: every ratio against "finds project" at least 0.9 (authentication at most 10 %
of a list request). The lowest ratio against each baseline is printed too.
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


# name: (label, the value of BENCH_NOAUTH_FINDS_PROJECT for gunicorn_noauth.py)
BASELINES = {
    "finds project": ("no credentials, finds project", "sql"),
    "bypassed": ("project in memory", ""),
    "reads project (ORM)": ("reads project (ORM)", "orm"),
}
JUDGED = "finds project"


def in_process(path, headers: dict, key, requests: int) -> dict:
    """{clock: {name: median µs}} of the same GET with each Authorization header in
    `headers` and with each of the BASELINES, interleaved request by request; by the
    wall clock and by the CPU time of this thread (which other processes on a shared
    machine do not inflate: the request runs in this thread, SQLite included)."""
    from django.test import Client

    from bench.support.unauthenticated import finding_project, reading_project
    from projects.api import auth
    from projects.models import AccessKey

    client = Client(HTTP_HOST="127.0.0.1")
    real = auth.authenticate

    def fixed():
        return auth.Principal(key=AccessKey.objects.select_related("project").get(pk=key.pk))

    bypassed, finding = fixed(), fixed()
    replacements = {
        "finds project": lambda request, target=None: finding_project(finding, target),
        "bypassed": lambda request, target=None: bypassed,
        "reads project (ORM)": lambda request, target=None: reading_project(bypassed, target),
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
    """{"rps": {name: [req/s of each round]}, "cpu": {name: [µs of the workers' CPU
    time per request, each round]}}: each of the BASELINES, then each header, round
    after round. The workers' CPU time per request is what serving one costs the
    server, which other processes on a shared machine inflate far less than req/s."""
    from bench.access_keys import requests_served
    from bench.support.server import free_port, start_gunicorn, stop

    env = {**os.environ, "PYTHONWARNINGS": "ignore:No directory at"}  # no collectstatic
    noauth = ["-c", str(ROOT / "bench/support/gunicorn_noauth.py")]
    ports = {name: free_port() for name in ["product", *BASELINES]}
    servers = {"product": start_gunicorn(ports["product"], env=env, seconds=30, log=None)}
    for name, (_, finds) in BASELINES.items():
        noauth_env = {**env, "BENCH_NOAUTH_KEY_ID": key_id, "BENCH_NOAUTH_FINDS_PROJECT": finds}
        servers[name] = start_gunicorn(
            ports[name], options=noauth, env=noauth_env, seconds=30, log=None
        )
    found = {"rps": {}, "cpu": {}}

    def measure(name, server, port, request_headers):
        before = _workers_cpu(servers[server].pid)
        ok, elapsed = requests_served(port, path, request_headers, seconds)
        used = _workers_cpu(servers[server].pid) - before
        found["rps"].setdefault(name, []).append(ok / elapsed)
        found["cpu"].setdefault(name, []).append(used / ok * 1e6)

    try:
        for _ in range(rounds):
            for name in BASELINES:
                measure(name, name, ports[name], {})
            for name, header in headers.items():
                measure(name, "product", ports["product"], {"Authorization": header})
    finally:
        stop(servers.values())
    return found


def _workers_cpu(master: int) -> float:
    """Seconds of CPU time (user and system) used so far by the worker processes of the
    gunicorn master `master` (its children, read from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:  # ppid; utime and stime follow at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / ticks


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
            served = under_gunicorn(path, headers, key.key_id, options.seconds, options.rounds)
        finally:
            if not own_database:
                from bench.support.cleanup import delete_family

                delete_family(project)
                account.delete()

    template = path.replace(project.public_id, "{id}")
    print(f"(a) GET {template} in process ({vendor}), interleaved, median of {options.requests}")
    print(f"    {'':30}{'wall clock':>12}{'CPU time':>12}   CPU-time ratios")
    lowest = {baseline: [] for baseline in BASELINES}
    for name in [*BASELINES, *headers]:
        wall, cpu = medians["wall"][name], medians["cpu"][name]
        line = f"    {_label(name):<30}{wall:9.0f} µs{cpu:9.0f} µs"
        if name not in BASELINES:
            line += "   " + ", ".join(
                f"{medians['cpu'][baseline] / cpu:.2f}" for baseline in BASELINES
            )
            for baseline in BASELINES:
                lowest[baseline].append(medians["cpu"][baseline] / cpu)
        print(line)
    print(f"    (CPU-time ratios against: {', '.join(BASELINES)})")
    print(
        f"(b) the same under gunicorn -w 2 ({vendor}), {options.rounds} rounds of "
        f"{options.seconds:g} s each, interleaved: median req/s, and the workers' CPU time "
        "per request"
    )
    rps = {name: statistics.median(values) for name, values in served["rps"].items()}
    cpu = {name: statistics.median(values) for name, values in served["cpu"].items()}
    for name in [*BASELINES, *headers]:
        line = f"    {_label(name):<30}{rps[name]:7.0f} req/s {cpu[name]:7.0f} µs CPU"
        if name not in BASELINES:
            line += "   " + ", ".join(
                f"{rps[name] / rps[baseline]:.2f} req/s, {cpu[baseline] / cpu[name]:.2f} CPU"
                for baseline in BASELINES
            )
            for baseline in BASELINES:
                lowest[baseline].append(cpu[baseline] / cpu[name])
        print(line)
    print(f"    (ratios against: {', '.join(BASELINES)}; req/s rounds: ", end="")
    print("; ".join(f"{_label(n)} {_rounds(v)}" for n, v in served["rps"].items()) + ")")
    for baseline, ratios in lowest.items():
        judged = " (judged)" if baseline == JUDGED else ""
        print(f"    lowest ratio against {baseline}{judged}: {min(ratios):.2f}")
    met = min(lowest[JUDGED]) >= TARGET
    verdict = "met" if met else "NOT MET"
    print(
        f"    authenticated / unauthenticated (finds project) at least {TARGET}, Basic and "
        f"bearer, by CPU time in process and under gunicorn: {verdict}"
    )
    return 0 if met else 1


def _label(name: str) -> str:
    return BASELINES[name][0] if name in BASELINES else name


def _rounds(values) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
