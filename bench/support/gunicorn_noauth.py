"""gunicorn config for bench/access_keys.py and bench/auth_cost.py ONLY: the same app
with authentication replaced by a fixed Principal, to measure what authentication costs
per request.

Read by nothing in the product; the bench passes it with -c and names the key whose
Principal every request gets in BENCH_NOAUTH_KEY_ID. With BENCH_NOAUTH_READS_PROJECT=1
each request reads the project its route names (bench.support.unauthenticated), as an
API without credentials must; otherwise nothing is read.
"""

import os


def post_worker_init(worker):
    from bench.support.unauthenticated import reading_project
    from projects.api import auth
    from projects.models import AccessKey

    key_id = os.environ["BENCH_NOAUTH_KEY_ID"]
    reads_project = os.environ.get("BENCH_NOAUTH_READS_PROJECT") == "1"
    principal = None

    def authenticate(request, target=None):
        nonlocal principal
        if principal is None:  # loaded once, inside the first request
            key = AccessKey.objects.select_related("project").get(key_id=key_id)
            principal = auth.Principal(key=key)
        return reading_project(principal, target) if reads_project else principal

    auth.authenticate = authenticate
