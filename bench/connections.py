"""Benchmark: API list throughput by how the app servers hold PostgreSQL connections.

`DATABASE_URL=postgres://… .venv/bin/python bench/connections.py` (without a PostgreSQL
URL it says so and stops). Makes a parent with BENCH_SUBPROJECTS subprojects (1,000)
and a key, starts one gunicorn server per configuration (BENCH_WORKERS workers, 2, and
BENCH_THREADS threads each, 1: gunicorn's defaults as docs/operations.md runs it; DEBUG
off), differing only in how they hold connections, and measures
GET /api/v1/projects/{id}/subprojects?pageSize=100 from BENCH_CLIENTS threads (4) for
BENCH_SECONDS (4) per measurement, the configurations interleaved in each of
BENCH_ROUNDS rounds (5, the order rotating):

- defaults: what production gets without tuning: the pool, one connection per thread;
- pool of 4: DATABASE_POOL_SIZE=4 (a bigger pool than the threads need);
- persistent: DATABASE_POOL_SIZE=0, CONN_MAX_AGE=600 (a connection kept per thread);
- per-request: DATABASE_POOL_SIZE=0, CONN_MAX_AGE=0 (the old documented default).

Every configuration checks a connection before using it (CONN_HEALTH_CHECKS). Prints each
one's median req/s and the defaults' ratio to the best (target >= 0.9).
"""

import base64
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBPROJECTS = int(os.environ.get("BENCH_SUBPROJECTS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
TARGET = 0.9
CONFIGS = {
    "defaults": {},
    "pool of 4": {"DATABASE_POOL_SIZE": "4"},
    "persistent": {"DATABASE_POOL_SIZE": "0", "CONN_MAX_AGE": "600"},
    "per-request": {"DATABASE_POOL_SIZE": "0", "CONN_MAX_AGE": "0"},
}


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("connections.py: PostgreSQL only; set DATABASE_URL=postgres://…")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        from bench.support import environment

        environment.configure(tmp)
        for name in ("CONN_MAX_AGE", "DATABASE_POOL_SIZE", "GUNICORN_THREADS"):
            os.environ.pop(name, None)
        import django

        django.setup()
        from django.db import connection

        from accounts.models import Account
        from bench.subprojects_api import throughput
        from bench.support.server import free_port, start_gunicorn
        from projects import services
        from projects.models import Project

        environment.create_tables()
        account = Account.objects.create(name="Bench connections")
        parent = services.project_create(account=account, name="Parent")
        Project.objects.bulk_create(
            [Project(account=account, parent=parent, name=f"C {i}") for i in range(SUBPROJECTS)]
        )
        key, secret = services.access_key_create(project=parent, display_name="bench")
        auth = "Basic " + base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
        path = f"/api/v1/projects/{parent.public_id}/subprojects?pageSize=100"
        connection.close()

        servers, bases = [], {}
        options = ["--threads", str(THREADS)]
        try:
            for name, extra in CONFIGS.items():
                port = free_port()
                env = {**os.environ, **extra}
                servers.append(start_gunicorn(port, workers=WORKERS, options=options, env=env))
                bases[name] = f"http://127.0.0.1:{port}"
            figures = {name: [] for name in CONFIGS}
            names = list(CONFIGS)
            for round_number in range(ROUNDS):
                shift = round_number % len(names)
                for name in names[shift:] + names[:shift]:
                    figures[name].append(throughput(bases[name], path, auth))
        finally:
            for server in servers:
                server.terminate()
                server.wait()
            Project.objects.filter(account=account, parent__isnull=False).delete()
            Project.objects.filter(account=account).delete()
            account.delete()

    medians = {name: statistics.median(rates) for name, rates in figures.items()}
    best = max(medians, key=medians.get)
    print(
        f"API list throughput, PostgreSQL, gunicorn {WORKERS} workers x {THREADS} threads, "
        f"{ROUNDS} rounds interleaved"
    )
    for name, rates in figures.items():
        spread = ", ".join(f"{r:.0f}" for r in rates)
        print(f"  {name:<12} median {medians[name]:7.1f} req/s  ({spread})")
    ratio = medians["defaults"] / medians[best]
    verdict = "OK" if ratio >= TARGET else "BELOW TARGET"
    print(f"  defaults / best ({best}) = {ratio:.2f} (target >= {TARGET}): {verdict}")
    print(f"  per-request / defaults = {medians['per-request'] / medians['defaults']:.2f}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
