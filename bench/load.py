"""Load test: 100 connections for 60 seconds against two app servers sharing one
PostgreSQL (and Redis, when CACHE_URL says so), as behind a load balancer.

Standalone: `.venv/bin/python bench/load.py` creates a throwaway PostgreSQL database on
the server of BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres;
dropped at the end), migrates it, makes a parent project with 200 subprojects and an
access key, starts two gunicorn instances of the project (the repository's
gunicorn.conf.py; gthread workers, DEBUG off) on free local ports, and drives them from
one asyncio client: each connection is kept alive and bound to one server (even
connections to the first, odd to the second), and sends the API calls an ASP's
automation makes: list subprojects (pageSize=20), get one, and one create in ten (with
an Idempotency-Key). It prints throughput, p50/p90/p99 latency, errors by kind and
per server, and exits non-zero on any error (the goal is 0).

Options (environment): BENCH_CONNECTIONS (100), BENCH_SECONDS (60), BENCH_WORKERS
(gunicorn workers per server, 2), BENCH_THREADS (threads per worker, 8), CACHE_URL.
"""

import asyncio
import base64
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "100"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SUBPROJECTS = 200
CREATE_EVERY = 10


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute(statement)


def configure(tmp: str, database: str) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    os.environ.update(server_environment(tmp, log_level="WARNING"))
    parts = urlsplit(ADMIN_URL)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{database}"))


def populate() -> dict:
    import django

    django.setup()

    from bench.support.environment import create_tables

    create_tables()
    from accounts.models import Account
    from projects import services
    from projects.models import Project

    account = Account.objects.create(name="Load")
    parent = services.project_create(account=account, name="Load parent")
    Project.objects.bulk_create(
        [Project(account=account, parent=parent, name=f"Customer {i}") for i in range(SUBPROJECTS)]
    )
    key, secret = services.access_key_create(project=parent, display_name="load")
    ids = list(Project.objects.filter(parent=parent).values_list("public_id", flat=True)[:50])
    from django.db import connections

    connections.close_all()
    return {
        "auth": "Basic " + base64.b64encode(f"{key.key_id}:{secret}".encode()).decode(),
        "parent": parent.public_id,
        "subprojects": ids,
    }


def requests_for(case: dict, n: int) -> tuple[str, str, bytes]:
    """The n-th request of a connection: (method, path, body)."""
    if n % CREATE_EVERY == CREATE_EVERY - 1:
        body = json.dumps({"displayName": f"Load {uuid.uuid4().hex[:8]}"}).encode()
        return "POST", f"/api/v1/projects/{case['parent']}/subprojects", body
    if n % 2:
        sub = case["subprojects"][n % len(case["subprojects"])]
        return "GET", f"/api/v1/subprojects/{sub}", b""
    return "GET", f"/api/v1/projects/{case['parent']}/subprojects?pageSize=20", b""


async def one_connection(index, port, case, deadline, latencies, errors, per_server):
    n = index  # spread the request mix across connections
    reader = writer = None
    while time.monotonic() < deadline:
        method, path, body = requests_for(case, n)
        n += 1
        headers = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{port}",
            f"Authorization: {case['auth']}",
            f"Content-Length: {len(body)}",
        ]
        if body:
            headers += ["Content-Type: application/json", f"Idempotency-Key: {uuid.uuid4()}"]
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + body)
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 30)
            status = int(status_line.split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            await reader.readexactly(length)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
            errors[type(e).__name__] += 1
            writer = None
            continue
        latencies.append(time.perf_counter() - started)
        per_server[port] += 1
        if not 200 <= status < 300:
            errors[f"HTTP {status}"] += 1
        if close:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def drive(ports, case) -> tuple[list, Counter, Counter, float]:
    latencies, errors, per_server = [], Counter(), Counter()
    started = time.monotonic()
    deadline = started + SECONDS
    await asyncio.gather(
        *(
            one_connection(i, ports[i % 2], case, deadline, latencies, errors, per_server)
            for i in range(CONNECTIONS)
        )
    )
    return latencies, errors, per_server, time.monotonic() - started


def percentile(sorted_values, q) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))] * 1000


def main():
    database = f"console_load_{secrets.token_hex(4)}"
    admin_sql(f"CREATE DATABASE {database}")
    servers = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            configure(tmp, database)
            case = populate()
            from bench.support.server import free_port, start_gunicorn

            ports = [free_port(), free_port()]
            log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115
            threads = ["--worker-class", "gthread", "--threads", str(THREADS)]
            servers = [
                start_gunicorn(
                    port, workers=WORKERS, options=threads, ready="/readyz", seconds=30, log=log
                )
                for port in ports
            ]
            cache = os.environ.get("CACHE_URL", "the database")
            print(
                f"Two servers on ports {ports[0]} and {ports[1]} ({WORKERS} gthread workers x "
                f"{THREADS} threads each), PostgreSQL, cache {cache}"
            )
            print(f"{CONNECTIONS} connections for {SECONDS:.0f} s ...")
            latencies, errors, per_server, elapsed = asyncio.run(drive(ports, case))
            latencies.sort()
            total = len(latencies)
            print(f"requests:   {total:,} ({total / elapsed:,.0f} per second)")
            p50, p90, p99 = (percentile(latencies, q) for q in (0.5, 0.9, 0.99))
            print(
                f"latency:    p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, "
                f"mean {statistics.fmean(latencies) * 1000:.1f} ms"
            )
            shares = ", ".join(f"{port}: {count:,}" for port, count in per_server.items())
            print(f"per server: {shares}")
            print(f"errors:     {sum(errors.values())} {dict(errors) if errors else ''}")
            log.flush()
            tracebacks = (Path(tmp) / "gunicorn.log").read_text().count("Traceback")
            print(f"server tracebacks: {tracebacks}")
            failed = bool(errors) or tracebacks > 0
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
            admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
