"""Running requests at the same moment from several threads (PostgreSQL tests)."""

import threading

from django.db import connections


def at_once(calls) -> list:
    """Start every call in `calls` in its own thread at the same moment; their results,
    in the order they finished. Each thread closes its database connection."""
    barrier = threading.Barrier(len(calls))
    results = []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_together(count: int, target) -> None:
    """Call `target(i)` in `count` threads released at the same moment; wait for all."""
    at_once([lambda i=i: target(i) for i in range(count)])


def simultaneously(*calls) -> list[Exception]:
    """Run each call in its own thread, all released at the same moment; the exceptions
    they raised (in no particular order)."""
    errors = []

    def run(i):
        try:
            calls[i]()
        except Exception as error:
            errors.append(error)

    run_together(len(calls), run)
    return errors
