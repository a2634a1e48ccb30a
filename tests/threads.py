"""Running one function in several threads at once, for concurrency tests (PostgreSQL:
each thread gets its own database connection, closed when it ends)."""

import threading

from django.db import connections


def run_together(count: int, target) -> None:
    """Call `target(i)` in `count` threads released at the same moment; wait for all."""
    barrier = threading.Barrier(count)

    def one(i):
        try:
            barrier.wait()
            target(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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
