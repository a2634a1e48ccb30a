"""Median server time of the Subprojects page with 10,000 subprojects, beside /healthz.

Standalone: a temporary SQLite database, migrate, 10,000 subprojects by bulk_create,
then N requests to each page through django.test.Client on the same process. Prints
the medians in milliseconds and their ratio (how many trivial requests one page costs).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("BENCH_N", "50"))
SUBPROJECTS = 10_000

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
tmp = tempfile.TemporaryDirectory()
os.environ["VAR_DIR"] = tmp.name
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import Account, Membership, Role, User  # noqa: E402
from core.ids import new_public_id  # noqa: E402
from projects.models import Project  # noqa: E402


def median_ms(client, url):
    client.get(url)  # warm up
    times = []
    for _ in range(N):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main():
    setup_test_environment()  # allows the test client's host; DEBUG stays as set
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    account = Account.objects.create(name="Bench")
    user = User.objects.create_user("bench@example.com", "x")
    Membership.objects.create(account=account, user=user, role=Role.ADMIN)
    parent = Project.objects.create(account=account, name="Parent")
    Project.objects.bulk_create(
        [
            Project(account=account, parent=parent, name=f"Customer {i}", public_id=new_public_id())
            for i in range(SUBPROJECTS)
        ],
        batch_size=1000,
    )
    client = Client()
    client.force_login(user)
    page = f"/projects/{parent.public_id}/subprojects/"
    subprojects = median_ms(client, page)
    healthz = median_ms(client, "/healthz")
    print(f"subprojects page ({SUBPROJECTS:,} subprojects), median of {N}: {subprojects:.2f} ms")
    print(f"/healthz (trivial view), median of {N}: {healthz:.2f} ms")
    print(f"ratio: {subprojects / healthz:.1f}x")


if __name__ == "__main__":
    try:
        main()
    finally:
        tmp.cleanup()
