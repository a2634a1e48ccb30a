"""gunicorn config for bench/access_keys.py ONLY: the same app with authentication
replaced by a fixed Principal, to measure what authentication costs per request.

Read by nothing in the product; the bench passes it with -c and names the key whose
Principal every request gets in BENCH_NOAUTH_KEY_ID.
"""

import os


def post_worker_init(worker):
    from projects.api import auth
    from projects.models import AccessKey

    key_id = os.environ["BENCH_NOAUTH_KEY_ID"]
    principal = None

    def authenticate(request, target=None):
        nonlocal principal
        if principal is None:  # loaded once, inside the first request
            key = AccessKey.objects.select_related("project").get(key_id=key_id)
            principal = auth.Principal(key=key)
        return principal

    auth.authenticate = authenticate
