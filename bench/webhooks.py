"""Webhook delivery: latency under a sustained load, one worker's throughput against a
bare loop of POSTs, and a receiver down for 24 hours (simulated clock).

(a) Latency: a real worker process (`manage.py worker`, as in production) and a local
    receiver (a threaded http.server in its own process); `--producers` processes (each
    its own connection) rename subprojects `--rate` times a second in all for `--seconds`,
    each change at its time on a fixed timeline (each rename is a change through the
    service, with its own transaction and event, `subproject.renamed`); the rate offered
    is printed. For each event: from the moment
    its change committed (the service returned) to the receiver's answer (the receiver
    notes the time it answers 200). Goal: p95 ≤ 2 s at 100 events/s for 60 s.
(b) Throughput: `--batch` changes committed in one transaction (so that their
    deliveries wait together), sent by the worker; against a bare loop of POSTs in its
    own process, with the same client library (urllib3, one kept-alive connection), to
    the same receiver, of the same bodies and headers (signed beforehand). Both timed at
    the receiver, first answer to last; interleaved, `--rounds` times each, the order
    alternating. Goal: worker ≥ 0.5 times the bare loop.
(c) Outage: the receiver answers 503 for 24 simulated hours while changes go on in two
    families (two endpoints); due attempts are run with the clock moved to the next due
    time (webhooks.delivery.now patched, the immediate task backend), so the retry
    schedule is followed exactly; then it is back. Goal: every event arrives, once it is
    back, in sequence per family, nothing lost.

With --profile, pyinstrument's profile of the worker's delivery loop (one batch, run in
this process). SQLite by default (a throwaway file); with `--postgres URL` (a server URL
without a database name), in the database `<--database>` (default
console_23_bench_webhooks), created and dropped here.

Usage: .venv/bin/python bench/webhooks.py [--seconds 60] [--rate 100] [--rounds 5]
       [--batch 500] [--postgres postgres://postgres@127.0.0.1:5432] [--profile]
"""

import argparse
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEQUENCE = re.compile(rb'"parentProjectId":"([^"]+)".*"sequence":(\d+|null)')


# --- The receiver: its own process for (a) and (b), a thread here for (c) -----------------


class Receiver(ThreadingHTTPServer):
    """Answers each POST 200 (503 while `down`) and notes (time answered, family,
    sequence) of each 200; GET /arrivals gives them (and forgets them)."""

    daemon_threads = True

    def __init__(self):
        self.down = False
        self.arrivals = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hooks"

    def take(self):
        with self.lock:
            found, self.arrivals = self.arrivals, []
        return found


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # The answer's headers and body are two writes: without this, Nagle's algorithm
        # and the client's delayed ACK hold each answer back 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        status = 503 if self.server.down else 200
        answer = b'{"ok":true}' if status == 200 else b'{"error":"down"}'
        self.send_response(status)
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        if status == 200:
            found = SEQUENCE.search(body)
            family, sequence = found.group(1).decode(), found.group(2).decode()
            with self.server.lock:
                self.server.arrivals.append((time.time(), family, sequence))

    def do_GET(self):
        answer = json.dumps(self.server.take()).encode()
        self.send_response(200)
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def serve_receiver() -> None:
    server = Receiver()
    print(server.url, flush=True)
    server.serve_forever()


def start_receiver():
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-receiver"], stdout=subprocess.PIPE, text=True
    )
    return process, process.stdout.readline().strip()


def arrivals(url):
    import urllib.request

    with urllib.request.urlopen(url.replace("/hooks", "/arrivals"), timeout=30) as answer:
        return json.loads(answer.read())


# --- The bare loop: POSTs of the same bodies, nothing else ---------------------------------


def bare_loop(url: str, path: str) -> None:
    """POST each (headers, body) of the file to `url` with urllib3 as webhooks.sender
    does (one pooled connection, 15 s timeout, the first 1 KB of the answer read)."""
    from urllib.parse import urlsplit

    import urllib3

    parts = urlsplit(url)
    pool = urllib3.HTTPConnectionPool(parts.hostname, parts.port, maxsize=1)
    messages = [(headers, body.encode()) for headers, body in json.loads(Path(path).read_text())]
    host = f"{parts.hostname}:{parts.port}"
    for headers, body in messages:
        response = pool.urlopen(
            "POST",
            parts.path,
            body=body,
            headers={**headers, "host": host},
            timeout=urllib3.Timeout(total=15),
            retries=False,
            redirect=False,
            preload_content=False,
        )
        response.read(1024)
        response.drain_conn()
        response.release_conn()
        assert response.status == 200


# --- Set-up ----------------------------------------------------------------------------------


def setup(options, tmp):
    from bench.support.environment import configure, create_tables, setup_django

    if options.postgres:
        import psycopg

        with psycopg.connect(options.postgres + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{options.database}"')
        os.environ["DATABASE_URL"] = f"{options.postgres}/{options.database}"
    configure(tmp)
    os.environ["WEBHOOK_ALLOW_PRIVATE"] = "1"  # the receiver is plain HTTP on 127.0.0.1
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    setup_django()
    create_tables()
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # a line per task


def family(name, receiver_url):
    """A top-level project with one subproject and one endpoint at the receiver."""
    from accounts.models import Account
    from projects import services as project_services
    from projects.models import Project
    from webhooks import services

    account = Account.objects.create(name=f"Bench {name}")
    parent = Project.objects.create(account=account, name=name)
    sub = project_services.subproject_create(parent=parent, name=f"{name} customer")
    endpoint, _ = services.endpoint_create(project=parent, url=receiver_url)
    return parent, sub, endpoint


def start_worker(log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-startup-delay"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process):
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(receiver_url, family_id, sequences: set, seconds: float) -> dict:
    """{sequence: first answer time} once every one of `sequences` has arrived."""
    got, deadline = {}, time.monotonic() + seconds
    while time.monotonic() < deadline:
        for at, fam, seq in arrivals(receiver_url):
            if fam == family_id and seq != "null":
                got.setdefault(int(seq), at)
        if sequences <= got.keys():
            return got
        time.sleep(0.2)
    missing = len(sequences - got.keys())
    raise SystemExit(f"{missing} of {len(sequences)} events did not arrive in {seconds} s")


def tasks_left() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


def next_sequence(family_id) -> int:
    from events.models import Sequence

    found = Sequence.objects.filter(family_id=family_id).values_list("last", flat=True).first()
    return (found or 0) + 1


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- (a) latency ------------------------------------------------------------------------------


def latency(options, receiver_url, tmp) -> dict:
    """`--producers` processes (each its own connection and subproject) share the rate,
    each change on a fixed timeline (a late one does not delay the next); each change's
    commit time is noted by its new name, found in its event after."""
    from events.models import Event
    from projects import services as project_services

    parent, sub, _ = family("Latency", receiver_url)
    subs = [sub] + [
        project_services.subproject_create(parent=parent, name=f"Latency {n}")
        for n in range(1, options.producers)
    ]
    first = next_sequence(parent.public_id)
    count = int(options.rate * options.seconds)
    processes = []
    for n, each in enumerate(subs):
        spec = {
            "sub": each.pk,
            "n": n,
            "producers": options.producers,
            "rate": options.rate,
            "count": count,
            "per": options.per_commit,
            "out": f"{tmp}/produced-{n}.json",
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, __file__, "--produce", json.dumps(spec)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )
    for process in processes:  # each has set Django up and connected
        assert process.stdout.readline().strip() == "ready"
    started = time.time() + 0.5
    for process in processes:
        process.stdin.write(f"{started}\n")
        process.stdin.close()
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("A producer failed")
    committed, behind = {}, []
    for n in range(len(subs)):
        found = json.loads(Path(f"{tmp}/produced-{n}.json").read_text())
        committed.update(found["committed"])
        behind.append(found["behind"])
    producing = max(committed.values()) - started
    sequences = {
        event.data["displayName"]: event.sequence
        for event in Event.objects.filter(family_id=parent.public_id, sequence__gte=first)
    }
    committed = {sequences[name]: at for name, at in committed.items()}
    got = wait_for(receiver_url, parent.public_id, set(committed), 120 + options.seconds)
    delays = [got[seq] - at for seq, at in committed.items()]
    return {
        "events": count,
        "rate": count / producing,
        "behind": max(behind),
        "p50": statistics.median(delays),
        "p95": percentile(delays, 0.95),
        "p99": percentile(delays, 0.99),
        "max": max(delays),
    }


def produce(spec: dict) -> None:
    """A producer process: its share of the changes (every `producers`-th commit), each at
    its time on the timeline that starts when the parent says (stdin); writes the commit
    time of each new name, and how far behind its timeline it fell at most."""
    from bench.support.environment import setup_django

    setup_django(test_environment=False)
    from django.db import connection, transaction

    from projects import services as project_services
    from projects.models import Project

    sub = Project.objects.select_related("parent").get(pk=spec["sub"])
    connection.ensure_connection()
    print("ready", flush=True)
    started = float(sys.stdin.readline())
    rate, count, per = spec["rate"], spec["count"], spec["per"]
    committed, behind = {}, 0.0
    for i in range(spec["n"] * per, count, per * spec["producers"]):
        due = started + i / rate
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        else:
            behind = max(behind, -pause)
        names = [f"Load {j}" for j in range(i, min(i + per, count))]
        with transaction.atomic():
            for name in names:
                project_services.project_update(project=sub, name=name)
        at = time.time()
        for name in names:
            committed[name] = at
    Path(spec["out"]).write_text(json.dumps({"committed": committed, "behind": behind}))


# --- (b) throughput ---------------------------------------------------------------------------


def make_batch(sub, size, path) -> set:
    """`size` changes in one transaction (their deliveries wait together), and the
    (headers, body) of each delivery written to `path` for the bare loop; their
    sequences."""
    from django.db import transaction

    from projects import services as project_services
    from webhooks import delivery, signing
    from webhooks.models import Delivery

    first = next_sequence(sub.parent.public_id)
    with transaction.atomic():
        for i in range(size):
            project_services.project_update(project=sub, name=f"Batch {first + i}")
        messages = []
        pending = Delivery.objects.filter(
            endpoint__project=sub.parent, status="pending"
        ).select_related("event", "endpoint")
        for found in pending.order_by("pk"):
            message_id, body = delivery.body_of(found)
            headers = signing.headers(
                found.endpoint.signing_secrets(delivery.now()), message_id, int(time.time()), body
            )
            messages.append((headers, body.decode()))
    Path(path).write_text(json.dumps(messages))
    return set(range(first, first + size))


def spread(got: dict) -> float:
    times = sorted(got.values())
    return times[-1] - times[0]


def settle(seconds=60) -> tuple[int, float, int]:
    """The deliver tasks queued now (one an endpoint at most: ADR 0122), how long the
    worker took to run every task left (up to `seconds`), and how many it left."""
    from django_tasks_db.models import DBTaskResult

    deliver = DBTaskResult.objects.ready().filter(task_path="webhooks.delivery.deliver")
    queued, start = deliver.count(), time.monotonic()
    while tasks_left() and time.monotonic() < start + seconds:
        time.sleep(0.2)
    return queued, time.monotonic() - start, deliver.delete()[0]


def throughput(options, receiver_url, tmp) -> dict:
    parent, sub, _ = family("Throughput", receiver_url)
    worker_rates, bare_rates = [], []
    bodies = f"{tmp}/bodies.json"

    def worker_side():
        sequences = make_batch(sub, options.batch, bodies)
        got = wait_for(receiver_url, parent.public_id, sequences, 300)
        worker_rates.append((len(sequences) - 1) / spread(got))
        while tasks_left():  # a task queued while the first one ran, if any
            time.sleep(0.2)

    def bare_side():
        arrivals(receiver_url)  # forget earlier arrivals
        subprocess.run([sys.executable, __file__, "--bare-loop", receiver_url, bodies], check=True)
        times = sorted(at for at, _, _ in arrivals(receiver_url))
        bare_rates.append((len(times) - 1) / (times[-1] - times[0]))

    worker_side()  # warm-up: the worker's first connection, the bodies file
    worker_rates.clear()
    for round_ in range(options.rounds):
        if round_ % 2:
            bare_side()
            worker_side()
        else:
            worker_side()
            bare_side()
    worker, bare = statistics.median(worker_rates), statistics.median(bare_rates)
    return {"worker": worker, "bare": bare, "ratio": worker / bare, "rounds": worker_rates}


def profile(options, receiver_url, tmp) -> str:
    """pyinstrument's profile of the worker's loop over one batch, in this process."""
    from pyinstrument import Profiler

    from webhooks import delivery

    _parent, sub, endpoint = family("Profiled", receiver_url)
    from django.test.utils import override_settings

    # Deliveries wait for the profiled call (no worker takes them: another queue's).
    with override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    ):
        make_batch(sub, options.batch, f"{tmp}/profiled.json")
        profiler = Profiler(interval=0.0005)
        profiler.start()
        delivery.deliver.call(endpoint.pk)
        profiler.stop()
    return profiler.output_text(unicode=True, color=False)


# --- (c) a receiver down for 24 hours ---------------------------------------------------------


def outage(options) -> dict:
    from datetime import timedelta
    from unittest import mock

    from django.conf import settings
    from django.db.models import Min, OuterRef, Subquery
    from django.test.utils import override_settings
    from django.utils import timezone

    from projects import services as project_services
    from webhooks import delivery
    from webhooks.models import Attempt, Delivery, Endpoint

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    receiver.down = True
    start = timezone.now()
    clock = [start]
    families = [family(name, receiver.url) for name in ("Outage A", "Outage B")]
    firsts = [next_sequence(parent.public_id) for parent, _, _ in families]
    down_for = timedelta(hours=24)
    every = timedelta(minutes=options.outage_every)

    # Each endpoint's oldest pending delivery (those behind it wait for it).
    first_pending = (
        Delivery.objects.filter(endpoint=OuterRef("pk"), status="pending")
        .order_by("pk")
        .values("next_attempt_at")[:1]
    )

    def run_due(until):
        """Every attempt due up to `until`, each at its own due time."""
        seen = None
        while True:
            due = Endpoint.objects.annotate(first=Subquery(first_pending)).aggregate(
                t=Min("first")
            )["t"]
            if due is None or due > until:
                return
            if due == seen and clock[0] >= due:
                raise SystemExit(f"An attempt due at {due} was not made")
            seen = clock[0] = max(clock[0], due)
            delivery.sweep()

    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    changes = 0
    with override_settings(TASKS=immediate), mock.patch.object(delivery, "now", lambda: clock[0]):
        moment = start
        while moment < start + down_for:
            run_due(moment)
            clock[0] = moment
            parent, sub, _ = families[changes % 2]
            project_services.project_update(project=sub, name=f"Renamed {changes}")
            changes += 1
            moment += every
        run_due(start + down_for)
        clock[0] = start + down_for
        receiver.down = False
        back = clock[0]
        run_due(start + timedelta(days=4))
        done = clock[0]
    receiver.shutdown()
    receiver.server_close()

    got = receiver.take()
    ok = True
    for (parent, _, _), first in zip(families, firsts, strict=True):
        sequences = [int(seq) for _, fam, seq in got if fam == parent.public_id]
        expected = list(range(first, next_sequence(parent.public_id)))
        ok = ok and sequences == expected  # every one, once, in sequence
    first = Delivery.objects.filter(endpoint=families[0][2]).order_by("pk").first()
    times = list(Attempt.objects.filter(delivery=first).order_by("at").values_list("at", flat=True))
    gaps = [round((b - a).total_seconds()) for a, b in itertools.pairwise(times)]
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    expected_gaps = [schedule[min(i, len(schedule) - 1)] for i in range(len(gaps))]
    return {
        "changes": changes,
        "delivered": len(got),
        "in_sequence": ok,
        "pending": Delivery.objects.filter(status="pending").count(),
        "attempts": Attempt.objects.filter(endpoint__in=[f[2] for f in families]).count(),
        "failed": Attempt.objects.filter(
            endpoint__in=[f[2] for f in families], succeeded=False
        ).count(),
        "schedule_followed": gaps == expected_gaps,
        "gaps": gaps,
        "caught_up_after": done - back,
    }


# --- main -------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=100, help="events a second")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--per-commit", type=int, default=1, help="changes a transaction")
    parser.add_argument("--producers", type=int, default=2, help="processes making changes")
    parser.add_argument("--outage-every", type=int, default=10, help="simulated minutes")
    parser.add_argument("--postgres", help="a server URL, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="console_23_bench_webhooks")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", choices=["latency", "throughput", "outage"])
    parser.add_argument("--serve-receiver", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-loop", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--produce", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_receiver:
        return serve_receiver()
    if options.bare_loop:
        return bare_loop(*options.bare_loop)
    if options.produce:
        return produce(json.loads(options.produce))

    tmp = tempfile.mkdtemp(prefix="bench-webhooks-")
    setup(options, tmp)
    from django.db import connection

    load = os.getloadavg()
    print(
        f"Database: {connection.vendor}; one worker; {time.strftime('%Y-%m-%d %H:%M')} UTC; "
        f"load averages {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, shared)"
    )
    receiver, receiver_url = start_receiver()
    worker_log = open(f"{tmp}/worker.log", "w")  # noqa: SIM115
    worker = start_worker(worker_log)
    try:
        if options.only in (None, "latency"):
            found = latency(options, receiver_url, tmp)
            print(
                f"(a) latency, commit to the receiver's 200, {found['events']} events "
                f"offered by {options.producers} processes at {found['rate']:.1f}/s (at most "
                f"{found['behind'] * 1000:.0f} ms behind the timeline): "
                f"p50 {found['p50'] * 1000:.0f} ms, "
                f"p95 {found['p95'] * 1000:.0f} ms, p99 {found['p99'] * 1000:.0f} ms, "
                f"max {found['max'] * 1000:.0f} ms (goal p95 ≤ 2,000 ms: "
                f"{'met' if found['p95'] <= 2 else 'NOT met'})"
            )
        if options.only in (None, "throughput"):
            queued, took, left = settle()
            print(
                f"    deliver tasks queued after the load: {queued}; all tasks run "
                f"{took:.1f} s later; left after a minute: {left}"
            )
            found = throughput(options, receiver_url, tmp)
            rounds = ", ".join(f"{r:.0f}" for r in found["rounds"])
            print(
                f"(b) throughput, {options.batch} deliveries a round, median of "
                f"{options.rounds}: worker {found['worker']:.0f}/s (rounds {rounds}), bare "
                f"loop {found['bare']:.0f}/s; ratio {found['ratio']:.2f} (goal ≥ 0.5: "
                f"{'met' if found['ratio'] >= 0.5 else 'NOT met'})"
            )
    finally:
        stop(worker)
        stop(receiver)
    if options.profile:
        print(profile(options, receiver_url_for_profile(), tmp))
    if options.only in (None, "outage"):
        found = outage(options)
        print(
            f"(c) receiver down 24 h (simulated), a change every {options.outage_every} min "
            f"in two families: {found['changes']} events, {found['delivered']} delivered "
            f"after it was back, {found['pending']} left; in sequence per family: "
            f"{found['in_sequence']}; {found['attempts']} attempts ({found['failed']} "
            f"failed); first event's retries {found['gaps']} s (the schedule: "
            f"{found['schedule_followed']}); all delivered {found['caught_up_after']} after "
            f"it was back (goal: nothing lost, in sequence: "
            f"{'met' if found['in_sequence'] and not found['pending'] else 'NOT met'})"
        )
    if options.postgres:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(options.postgres + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')


def receiver_url_for_profile():
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.url


if __name__ == "__main__":
    main()
