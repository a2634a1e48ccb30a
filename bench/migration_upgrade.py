"""Benchmark: upgrading a big database from commit 117cb26 keeps every table readable.

`DATABASE_URL=postgres://… .venv/bin/python bench/migration_upgrade.py` (PostgreSQL
only: without it, it says so and stops). In a database of its own (the URL's name +
`_upgrade`, dropped afterwards) it:

1. migrates to commit 117cb26's schema, with that commit's own migrations (from
   `git archive 117cb26`);
2. fills it as the issue describes, with SQL: BENCH_PROJECTS projects (default
   500,006) of which BENCH_TOP_LEVEL are top-level (20,006), BENCH_USERS users (50,005)
   with a membership each (every fifth a second one), a current project for most (some
   in an account they no longer belong to), one subproject in ten removed;
3. runs today's `manage.py migrate` while two watchers run beside it:
   - every 20 ms, pg_locks: each lock the migration holds on a table, how long it was
     seen held (a lock that blocks reads: ACCESS EXCLUSIVE; one that blocks writes: SHARE
     and stronger);
   - every 20 ms, a read of accounts_user, accounts_membership and projects_project
     each (its own connection): the slowest answer per table.

Prints the migration's duration, the longest lock of each mode per table, the slowest
read per table, and fails (exit 1) if a lock that blocks reads or writes was held 1 s or
longer, or a read waited that long.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_COMMIT = "117cb26"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "500006"))
TOP_LEVEL = int(os.environ.get("BENCH_TOP_LEVEL", "20006"))
USERS = int(os.environ.get("BENCH_USERS", "50005"))
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "2000"))
LIMIT = 1.0  # seconds
INTERVAL = 0.02
READS = {
    "accounts_user": "SELECT id, email FROM accounts_user WHERE id = %s",
    "accounts_membership": "SELECT id, role FROM accounts_membership WHERE id = %s",
    "projects_project": "SELECT id, name FROM projects_project WHERE id = %s",
}
# Lock modes that conflict with a plain SELECT, and with INSERT/UPDATE/DELETE.
BLOCKS_READS = {"AccessExclusiveLock"}
BLOCKS_WRITES = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}

FILL = [
    f"""INSERT INTO accounts_account (public_id, name, created_at)
    SELECT 'A' || lpad(i::text, 25, '0'), 'Account ' || i, now()
    FROM generate_series(1, {ACCOUNTS}) AS i""",
    f"""INSERT INTO projects_project (public_id, name, labels, created_at, updated_at,
        account_id, parent_id, suspend_reason, suspended_by_platform)
    SELECT 'P' || lpad(i::text, 25, '0'), 'Project ' || i, '{{}}', now(), now(),
        (SELECT min(id) FROM accounts_account) + i % {ACCOUNTS}, NULL, '', false
    FROM generate_series(1, {TOP_LEVEL}) AS i""",
    f"""INSERT INTO projects_project (public_id, name, labels, created_at, updated_at,
        removed_at, account_id, parent_id, suspend_reason, suspended_by_platform)
    SELECT 'S' || lpad(i::text, 25, '0'), 'Subproject ' || i, '{{}}', now(), now(),
        CASE WHEN i % 10 = 0 THEN now() END, parent.account_id, parent.id, '', false
    FROM generate_series(1, {PROJECTS - TOP_LEVEL}) AS i
    JOIN projects_project AS parent
        ON parent.public_id = 'P' || lpad((1 + i % {TOP_LEVEL})::text, 25, '0')""",
    f"""INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff,
        is_active, date_joined, email, time_zone, current_project_id)
    SELECT '!', false, '', '', false, true, now(), 'user' || i || '@example.com', 'UTC',
        CASE WHEN i % 3 <> 0 THEN (SELECT min(id) FROM projects_project) + i % {TOP_LEVEL} END
    FROM generate_series(1, {USERS}) AS i""",
    # Each user a member of the account of their current project (most of them), every
    # fifth one of a second account too; one user in six points at a project of an
    # account they do not belong to.
    f"""INSERT INTO accounts_membership (role, created_at, account_id, user_id)
    SELECT 'member', now(), (SELECT min(id) FROM accounts_account)
        + (n.i % {TOP_LEVEL} + 1 + CASE WHEN n.i % 6 = 1 THEN 1 ELSE 0 END) % {ACCOUNTS}, n.id
    FROM (SELECT id, id - (SELECT min(id) FROM accounts_user) + 1 AS i FROM accounts_user) AS n""",
    f"""INSERT INTO accounts_membership (role, created_at, account_id, user_id)
    SELECT 'viewer', now(),
        (SELECT min(id) FROM accounts_account) + (u.id * 7 + 3) % {ACCOUNTS}, u.id
    FROM accounts_user AS u
    WHERE u.id % 5 = 0 AND NOT EXISTS (
        SELECT 1 FROM accounts_membership AS m
        WHERE m.user_id = u.id
          AND m.account_id
              = (SELECT min(id) FROM accounts_account) + (u.id * 7 + 3) % {ACCOUNTS})""",
    "ANALYZE",
]


def psql_url(url: str, name: str) -> str:
    import environ

    config = environ.Env.db_url_config(url)
    user = config.get("USER") or "postgres"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    host = config.get("HOST") or "127.0.0.1"
    port = config.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def environment(database_url: str, tmp: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from bench.support.environment import server_environment

    return {**os.environ, **server_environment(tmp), "DATABASE_URL": database_url}


def run(args, *, cwd, env) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started


class LockWatcher(threading.Thread):
    """How long each lock on a table was seen held by another session: a lock is held
    from the first sample that shows it to the last one before a sample without it."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop = url, threading.Event()
        self.longest = defaultdict(float)  # (table, mode) -> seconds

    def run(self):
        import psycopg

        held = {}  # (pid, table, mode) -> [first seen, last seen]
        with psycopg.connect(self.url, autocommit=True) as db:
            while not self.stop.is_set():
                now = time.perf_counter()
                rows = set(
                    db.execute(
                        """SELECT l.pid, c.relname, l.mode FROM pg_locks AS l
                        JOIN pg_class AS c ON c.oid = l.relation
                        JOIN pg_namespace AS n ON n.oid = c.relnamespace
                        WHERE l.granted AND l.pid <> pg_backend_pid()
                          AND n.nspname = 'public' AND c.relkind IN ('r', 'p')"""
                    ).fetchall()
                )
                for key in rows:
                    held.setdefault(key, [now, now])[1] = now
                for key in [key for key in held if key not in rows]:
                    self._close(key, held.pop(key))
                time.sleep(INTERVAL)
        for key, seen in held.items():
            self._close(key, seen)

    def _close(self, key, seen):
        _, table, mode = key
        self.longest[(table, mode)] = max(self.longest[(table, mode)], seen[1] - seen[0])


class Reader(threading.Thread):
    """Reads one row of `table` over and over: the slowest answer."""

    def __init__(self, url: str, table: str, sql: str):
        super().__init__(daemon=True)
        self.url, self.table, self.sql = url, table, sql
        self.stop, self.slowest, self.count = threading.Event(), 0.0, 0

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            row_id = db.execute(f"SELECT min(id) FROM {self.table}").fetchone()[0]
            while not self.stop.is_set():
                started = time.perf_counter()
                db.execute(self.sql, [row_id]).fetchall()
                self.slowest = max(self.slowest, time.perf_counter() - started)
                self.count += 1
                time.sleep(INTERVAL)


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("migration_upgrade.py: PostgreSQL only; set DATABASE_URL=postgres://…")
        return 0
    import environ
    import psycopg

    name = environ.Env.db_url_config(url)["NAME"] + "_upgrade"
    admin_url = psql_url(url, "postgres")
    target = psql_url(url, name)
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            old = Path(tmp) / "old"
            old.mkdir()
            archive = subprocess.run(
                ["git", "archive", BASE_COMMIT],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
            env = environment(target, tmp)
            print(f"Migrating a new database to {BASE_COMMIT}'s schema …", flush=True)
            run([sys.executable, "manage.py", "migrate", "-v0"], cwd=old, env=env)
            print(
                f"Filling it: {PROJECTS:,} projects ({TOP_LEVEL:,} top-level), {USERS:,} users …",
                flush=True,
            )
            started = time.perf_counter()
            with psycopg.connect(target, autocommit=True) as db:
                for statement in FILL:
                    db.execute(statement)
                counts = {
                    table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in READS
                }
            print(f"  filled in {time.perf_counter() - started:.1f} s: {counts}")

            watcher = LockWatcher(target)
            readers = [Reader(target, table, sql) for table, sql in READS.items()]
            for thread in (watcher, *readers):
                thread.start()
            time.sleep(0.5)
            print("Upgrading with today's migrations …", flush=True)
            took = run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env)
            time.sleep(0.2)
            for thread in (watcher, *readers):
                thread.stop.set()
            for thread in (watcher, *readers):
                thread.join()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"\nmigrate took {took:.1f} s (sampled every {INTERVAL * 1000:.0f} ms)")
    worst = 0.0
    print(f"{'table':<34} {'lock mode':<24} {'longest held':>12}")
    for (table, mode), seconds in sorted(watcher.longest.items()):
        if mode not in BLOCKS_WRITES:
            continue
        worst = max(worst, seconds)
        blocks = "reads+writes" if mode in BLOCKS_READS else "writes"
        print(f"{table:<34} {mode:<24} {seconds:>10.2f} s  (blocks {blocks})")
    print(f"\n{'table':<34} {'reads':>7} {'slowest read':>13}")
    for reader in readers:
        worst = max(worst, reader.slowest)
        print(f"{reader.table:<34} {reader.count:>7} {reader.slowest:>11.3f} s")
    verdict = "OK" if worst < LIMIT else "FAILED"
    print(
        f"\n{verdict}: the longest blocking lock or read wait was {worst:.2f} s (limit {LIMIT} s)"
    )
    return 0 if worst < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
