"""gunicorn config for bench/access_keys.py and bench/auth_cost.py ONLY: the same app
with authentication replaced by a fixed Principal, to measure what authentication costs
per request.

Read by nothing in the product; the bench passes it with -c and names the key whose
Principal every request gets in BENCH_NOAUTH_KEY_ID. With BENCH_NOAUTH_FINDS_PROJECT=sql
each request finds the project its route names by the key lookup's query without the
key, with =orm through the ORM (bench.support.unauthenticated), as an API without
credentials must; otherwise nothing is read.
"""

import os
import runpy
from pathlib import Path

# The product's own gunicorn settings first (gunicorn reads one -c file): the same
# limits and, above all, the same Prometheus multiprocess mode, whose metric files cost
# every query and request alike; then the swap below.
globals().update(
    {
        name: value
        for name, value in runpy.run_path(
            str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")
        ).items()
        if not name.startswith("__")
    }
)


def post_worker_init(worker):
    from bench.support.unauthenticated import finding_project, reading_project
    from projects.api import auth
    from projects.models import AccessKey

    key_id = os.environ["BENCH_NOAUTH_KEY_ID"]
    finds = {"sql": finding_project, "orm": reading_project}.get(
        os.environ.get("BENCH_NOAUTH_FINDS_PROJECT", "")
    )
    principal = None

    def authenticate(request, target=None):
        nonlocal principal
        if principal is None:  # loaded once, inside the first request
            key = AccessKey.objects.select_related("project").get(key_id=key_id)
            principal = auth.Principal(key=key)
        return finds(principal, target) if finds else principal

    auth.authenticate = authenticate
