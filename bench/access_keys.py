"""What checking an access key costs.

(a) The median time of one key verification, beside one check of Django's default
    password hasher: the hash-and-compare alone, and with the database lookup
    (projects.api.auth.key_for_credentials on SQLite).
(b) The same comparison in one process through Django's test client, alternating
    request by request, so that a busy machine slows both sides alike.
(c) Requests per second of GET /api/v1/projects/{id}/accessKeys under gunicorn
    (2 workers), authenticated with HTTP Basic, beside the same endpoint with
    authentication replaced by a fixed Principal (bench/support/gunicorn_noauth.py).
    Target: authenticated at least 80% of unauthenticated.

Runs on a throwaway SQLite database in a temporary VAR_DIR; only 127.0.0.1.
Usage: .venv/bin/python bench/access_keys.py [--seconds 3] [--rounds 5]
"""

import argparse
import base64
import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_environment(var_dir: str) -> None:
    from bench.support.environment import server_environment

    os.environ.update(server_environment(var_dir, log_level="WARNING"))
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"


def median_us(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        function()
        times.append(time.perf_counter_ns() - started)
    return statistics.median(times) / 1000


def interleaved_us(functions: dict, runs: int) -> dict:
    """{name: function} -> {name: median µs}, calling them in turn, run after run."""
    times = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            started = time.perf_counter_ns()
            function()
            times[name].append(time.perf_counter_ns() - started)
    return {name: statistics.median(values) / 1000 for name, values in times.items()}


def key_by_orm(key_id, now, target=None):
    """What projects.api.auth.key_by_sql does, the ORM's way: AccessKeyQuerySet.active()
    with its project and the project's parent, the queryset built per request (the
    target, if any, is left to Principal.get_project's own query). Measured against the
    hand-written SQL, which stays only while it pays for itself (docs/adr/0013)."""
    from projects.api import auth
    from projects.models import AccessKey

    key = (
        AccessKey.objects.active(now)
        .select_related("project__parent")  # the parent: Project.suspension reads it
        .filter(key_id=key_id)
        .first()
    )
    if key is None:
        return None
    return auth.KeyRecord(
        **{field: getattr(key, field) for field in auth._KEY_FIELDS if field != "project_id"},
        project_id=key.project_id,
        project=key.project,
    )


def microbenchmarks(key, secret):
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.db import connection
    from django.utils import timezone

    from core import credentials
    from projects.api import auth

    stored = key.secret_hash
    assert auth.key_for_credentials(key.key_id, secret) is not None
    now = timezone.now()
    assert auth.key_by_sql(key.key_id, now) == key_by_orm(key.key_id, now) == key

    def hash_and_compare():
        return credentials.is_well_formed(secret) and credentials.secret_matches(secret, stored)

    def with_lookup():
        return auth.key_for_credentials(key.key_id, secret)

    password = make_password("correct horse battery staple")

    def password_check():
        return check_password("correct horse battery staple", password)

    hashing = median_us(hash_and_compare, 20_000)
    lookups = interleaved_us(
        {
            "sql": lambda: auth.key_by_sql(key.key_id, timezone.now()),
            "orm": lambda: key_by_orm(key.key_id, timezone.now()),
        },
        5_000,
    )
    lookup = median_us(with_lookup, 5_000)
    hasher = median_us(password_check, 7)
    vendor = connection.vendor
    print("(a) one verification, median")
    print(f"    checksum + HMAC-SHA256 + compare_digest      {hashing:12.1f} µs")
    print(f"    the same with the indexed lookup ({vendor})  {lookup:12.1f} µs")
    print(f"    check_password, {get_hasher().algorithm} (Django default) {hasher:12.1f} µs")
    print(
        f"    password hasher / key check: {hasher / hashing:,.0f}x (hash alone), "
        f"{hasher / lookup:,.0f}x (with lookup)"
    )
    print(f"    the key lookup alone, interleaved, median of 5,000 each ({vendor}):")
    print(f"      hand-written SQL (auth.key_by_sql)         {lookups['sql']:12.1f} µs")
    print(f"      ORM, active().select_related (key_by_orm)  {lookups['orm']:12.1f} µs")
    print(f"      the SQL saves {lookups['orm'] - lookups['sql']:.1f} µs a request")
    return lookups


def in_process(path, auth_headers, key, runs=1500):
    from django.test import Client

    from projects.api import auth
    from projects.models import AccessKey

    client = Client(HTTP_HOST="127.0.0.1")
    real, sql = auth.authenticate, auth.key_by_sql
    fixed = auth.Principal(key=AccessKey.objects.select_related("project").get(pk=key.pk))
    times = {"sql": [], "orm": [], "bypassed": []}
    try:
        for _ in range(runs):
            # The ORM's lookup in the product's place for its requests (only here).
            for name, lookup in (("sql", sql), ("orm", key_by_orm)):
                auth.key_by_sql = lookup
                started = time.perf_counter_ns()
                assert client.get(path, headers=auth_headers).status_code == 200
                times[name].append(time.perf_counter_ns() - started)
            auth.key_by_sql = sql
            auth.authenticate = lambda request, target=None: fixed
            started = time.perf_counter_ns()
            assert client.get(path).status_code == 200
            times["bypassed"].append(time.perf_counter_ns() - started)
            auth.authenticate = real
    finally:
        auth.authenticate, auth.key_by_sql = real, sql
    a, o, b = (statistics.median(times[name]) / 1000 for name in ("sql", "orm", "bypassed"))
    print(f"(b) one request in process (Django test client), interleaved, median of {runs}")
    print(f"    authenticated (HTTP Basic), SQL lookup   {a:8.0f} µs  = {1e6 / a:6.0f} req/s")
    print(f"    authenticated (HTTP Basic), ORM lookup   {o:8.0f} µs  = {1e6 / o:6.0f} req/s")
    print(f"    authentication bypassed                  {b:8.0f} µs  = {1e6 / b:6.0f} req/s")
    print(f"    ratio {b / a:.0%} of the requests per second (SQL), {b / o:.0%} (ORM)")
    print(f"    the hand-written SQL saves {(o - a) / o:.1%} of an authenticated request")


def _load(args):
    """One client process: `threads` threads sending requests until the deadline."""
    port, path, headers, seconds, threads = args
    counts, errors = [0] * threads, [0] * threads
    deadline = time.monotonic() + seconds

    def worker(i):
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                counts[i] += 1
            else:
                errors[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(counts), sum(errors)


def requests_per_second(port, path, headers, seconds, processes=2, threads=4) -> float:
    ok, elapsed = requests_served(port, path, headers, seconds, processes, threads)
    return ok / elapsed


def requests_served(port, path, headers, seconds, processes=2, threads=4) -> tuple[int, float]:
    """(requests answered 200, seconds taken) of a load of `seconds`, after a warm-up."""
    _load((port, path, headers, 0.5, 1))  # warm up both workers' imports and caches
    with ProcessPoolExecutor(processes) as pool:
        started = time.monotonic()
        results = list(pool.map(_load, [(port, path, headers, seconds, threads)] * processes))
        elapsed = time.monotonic() - started
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    if errors:
        raise RuntimeError(f"{errors} requests did not answer 200")
    return ok, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3, help="per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    options = parser.parse_args()

    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic here
    with tempfile.TemporaryDirectory() as var_dir:
        setup_environment(var_dir)
        import django

        django.setup()

        from bench.support.environment import create_tables

        create_tables()
        from accounts.models import Account
        from projects import services

        account = Account.objects.create(name="Bench")
        project = services.project_create(account=account, name="Bench")
        key, secret = services.access_key_create(project=project, display_name="bench")
        for i in range(4):  # a realistic page: a few keys
            services.access_key_create(project=project, display_name=f"other {i}")

        microbenchmarks(key, secret)

        path = f"/api/v1/projects/{project.public_id}/accessKeys"
        credentials = base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
        auth_headers = {"Authorization": f"Basic {credentials}"}
        in_process(path, auth_headers, key)
        from bench.support.server import free_port, start_gunicorn, stop

        port_auth, port_open = free_port(), free_port()
        env = {**os.environ, "PYTHONWARNINGS": "ignore:No directory at"}  # no collectstatic
        noauth = ["-c", str(ROOT / "bench/support/gunicorn_noauth.py")]
        servers = [
            start_gunicorn(port_auth, env=env, seconds=30, log=None),
            start_gunicorn(
                port_open,
                options=noauth,
                env={**env, "BENCH_NOAUTH_KEY_ID": key.key_id},
                seconds=30,
                log=None,
            ),
        ]
        try:
            authenticated, unauthenticated = [], []
            for _ in range(options.rounds):
                unauthenticated.append(requests_per_second(port_open, path, {}, options.seconds))
                authenticated.append(
                    requests_per_second(port_auth, path, auth_headers, options.seconds)
                )
        finally:
            stop(servers)

    auth_rps = statistics.median(authenticated)
    open_rps = statistics.median(unauthenticated)
    ratio = auth_rps / open_rps
    print(
        f"(c) GET {path.replace(project.public_id, '{id}')}, gunicorn -w 2, "
        f"{options.rounds} rounds of {options.seconds:g} s, median"
    )
    print(
        f"    authenticated (HTTP Basic)          {auth_rps:8.0f} req/s  "
        f"(rounds: {', '.join(f'{r:.0f}' for r in authenticated)})"
    )
    print(
        f"    authentication bypassed             {open_rps:8.0f} req/s  "
        f"(rounds: {', '.join(f'{r:.0f}' for r in unauthenticated)})"
    )
    print(f"    ratio {ratio:.0%} (target at least 80%): {'met' if ratio >= 0.8 else 'NOT MET'}")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
