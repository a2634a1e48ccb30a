"""What a key's scope costs to check: the customer API's key check (the database lookup,
the secret's HMAC, the scope) with scoped keys, against the same check before scopes.

"Before" is the code of a git revision without scopes (`--before`; by default the
parent of the commit that added projects/scopes.py), exported to a temporary folder;
"after" is this checkout. Each runs in its own worker process on its own database
(the two schemas differ by the scope column), and the two are timed in turn, round
after round, so that a busy machine slows both alike. Each
round is the median of `--runs` calls of `projects.api.auth.access_key_caller` on a GET
request with HTTP Basic credentials: after, with a key limited to
"subprojects:read usage:read" and the route's resource (so its scope is checked);
before, with a key of that time (which could do everything). Target: after within 10 %
of before. The query count is the same (tests/api/test_key_scopes.py counts it).

SQLite by default (throwaway files); with `--postgres URL` (a server URL without a
database name) on PostgreSQL too, in the databases `<prefix>_before` and
`<prefix>_after` (`--prefix`, default console_24_bench), created and dropped here.
Usage: .venv/bin/python bench/key_scopes.py [--rounds 15] [--runs 2000] [--before REV]
       [--postgres postgres://postgres@127.0.0.1:5432]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- The worker: one tree, one database -----------------------------------------------


def worker(tree: str, database_url: str, runs: int) -> None:
    sys.path.insert(0, tree)
    os.chdir(tree)
    from bench.support.environment import server_environment

    var = tempfile.mkdtemp(prefix="key-scopes-")
    os.environ.update(server_environment(var, log_level="WARNING"))
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import RequestFactory

    from accounts.models import Account
    from projects import services
    from projects.api import auth
    from projects.models import Project

    call_command("migrate", verbosity=0)
    account = Account.objects.create(name="Bench")
    project = Project.objects.create(account=account, name="Bench project")
    import inspect

    scoped = "permissions" in inspect.signature(services.access_key_create).parameters
    extra = {"permissions": ["subprojects:read", "usage:read"]} if scoped else {}
    key, secret = services.access_key_create(project=project, display_name="bench", **extra)
    import base64

    header = "Basic " + base64.b64encode(f"{key.key_id}:{secret}".encode()).decode()
    request = RequestFactory().get("/api/v1/x", HTTP_AUTHORIZATION=header)
    target = project.public_id
    if scoped:

        def check():
            return auth.access_key_caller(request, target, resource="subprojects")

    else:

        def check():
            return auth.access_key_caller(request, target)

    check()  # the key's last use is written once, not in the rounds
    print(json.dumps({"ready": True, "scoped": scoped}), flush=True)
    import time

    for line in sys.stdin:
        if line.strip() != "go":
            break
        times = []
        for _ in range(runs):
            started = time.perf_counter_ns()
            check()
            times.append(time.perf_counter_ns() - started)
        print(json.dumps({"median_us": statistics.median(times) / 1000}), flush=True)


# --- The driver --------------------------------------------------------------------------


def export(revision: str, folder: str) -> str:
    archive = Path(folder) / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(ROOT), "archive", revision], stdout=out, check=True)
    tree = Path(folder) / "tree"
    tree.mkdir()
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return str(tree)


def revision_before_scopes() -> str:
    """The parent of the commit that added projects/scopes.py (main, if none did yet)."""
    added = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "log",
            "--diff-filter=A",
            "--format=%H",
            "-1",
            "--",
            "projects/scopes.py",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"{added}^" if added else "main"


def start(tree: str, database_url: str, runs: int):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", tree, database_url, str(runs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    ready = json.loads(process.stdout.readline())
    assert ready["ready"], ready
    return process, ready["scoped"]


def compare(label: str, before_tree: str, urls: tuple[str, str], rounds: int, runs: int):
    before, before_scoped = start(before_tree, urls[0], runs)
    after, after_scoped = start(str(ROOT), urls[1], runs)
    assert not before_scoped and after_scoped, "compare a revision without scopes to this one"
    results = {"before": [], "after": []}
    try:
        for _ in range(rounds):
            for name, process in (("before", before), ("after", after)):
                process.stdin.write("go\n")
                process.stdin.flush()
                results[name].append(json.loads(process.stdout.readline())["median_us"])
    finally:
        for process in (before, after):
            process.stdin.close()
            process.wait(timeout=60)
    b, a = statistics.median(results["before"]), statistics.median(results["after"])
    ratio = a / b
    verdict = "met" if ratio <= 1.10 else "NOT met"
    print(f"{label}: key check, median of {rounds} rounds x {runs} calls, interleaved")
    print(f"    before scopes (a key that may do everything)   {b:9.1f} µs")
    print(f"    with scopes (a scoped key, its scope checked)  {a:9.1f} µs")
    print(f"    ratio {ratio:.3f} (target ≤ 1.10: {verdict})")
    return ratio


def postgres(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url + "/postgres", autocommit=True) as connection:
        connection.execute(sql)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument(
        "--before",
        default="",
        help="a git revision without scopes (default: the one before scopes were added)",
    )
    parser.add_argument("--postgres", default="", help="e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--prefix", default="console_24_bench")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="key-scopes-") as folder:
        tree = export(args.before or revision_before_scopes(), folder)
        sqlite = (f"sqlite:///{folder}/before.sqlite3", f"sqlite:///{folder}/after.sqlite3")
        compare("SQLite", tree, sqlite, args.rounds, args.runs)
        if args.postgres:
            names = (f"{args.prefix}_before", f"{args.prefix}_after")
            for name in names:
                postgres(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
                postgres(args.postgres, f'CREATE DATABASE "{name}"')
            try:
                urls = tuple(f"{args.postgres}/{name}" for name in names)
                compare("PostgreSQL", tree, urls, args.rounds, args.runs)
            finally:
                for name in names:
                    postgres(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
