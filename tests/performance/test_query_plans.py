"""No dashboard page reads the whole projects table: every query it sends is planned by
PostgreSQL (EXPLAIN, after ANALYZE) with 100,000 other projects in the table, and none
may be a sequential scan of projects_project. A page's cost must follow what its user
can see, not the size of the table (issue 11)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, Role
from projects import services
from tests.factories import GrantFactory, MembershipFactory, bulk_subprojects

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are PostgreSQL's: run with DATABASE_URL=postgres://... (CI does)",
)

OTHER_ACCOUNTS, TOP_LEVEL_EACH, SUBPROJECTS_EACH = 500, 20, 9  # 100,000 projects
# Rows of projects_project that one query of a page may read (EXPLAIN ANALYZE): half
# the table. (The Members page's invite form, listing an account's top-level projects,
# reads the table's 10,000 top-level projects through the parent index: PostgreSQL
# takes the account's 2,000 rows to hold 185 of them, not 1.)
MOST_ROWS_READ = 50_000


@pytest.fixture
def crowded_table(account, project, subproject):
    """The personas' project with 2,000 subprojects, among 100,000 projects of 500 other
    accounts (each with 20 top-level projects of 9 subprojects), statistics fresh."""
    bulk_subprojects(project, 2_000)
    Account.objects.bulk_create(Account(name=f"Other {i}") for i in range(OTHER_ACCOUNTS))
    with connection.cursor() as cursor:
        # Foreign keys checked row by row now, not 300,000 queued checks at teardown.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Made by the database itself: 100,000 rows through the ORM would take a while.
        cursor.execute(
            """
            INSERT INTO projects_project
                (public_id, account_id, parent_id, name, labels, created_at, updated_at,
                 suspend_reason, suspended_by_platform, subproject_count)
            SELECT upper(substr(md5('top' || a.id || '-' || i), 1, 26)), a.id, NULL,
                   'Top ' || i, '{}', now() - i * interval '1 minute', now(), '', false, %s
            FROM accounts_account a, generate_series(1, %s) i
            WHERE a.name LIKE 'Other %%'
            """,
            [SUBPROJECTS_EACH, TOP_LEVEL_EACH],
        )
        cursor.execute(
            """
            INSERT INTO projects_project
                (public_id, account_id, parent_id, name, labels, created_at, updated_at,
                 suspend_reason, suspended_by_platform, subproject_count)
            SELECT upper(substr(md5('sub' || p.id || '-' || i), 1, 26)), p.account_id, p.id,
                   'Customer ' || i, '{}', now() - i * interval '1 second', now(), '', false, 0
            FROM projects_project p, generate_series(1, %s) i
            WHERE p.name LIKE 'Top %%' AND p.parent_id IS NULL
            """,
            [SUBPROJECTS_EACH],
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM projects_project")
        assert cursor.fetchone()[0] > 100_000


def sequential_scans_of_projects(sql, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "projects_project":
            found.append(node.get("Filter", ""))
        nodes.extend(node.get("Plans", []))
    return found


def assert_no_scan_of_projects(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:  # a CSV runs its query as it is read
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (url, response.status_code)
    checked = 0
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("DECLARE "):  # a server-side cursor (a streamed CSV)
            sql = sql.split(" FOR ", 1)[1]
        if "projects_project" not in sql or not sql.lstrip("(").startswith("SELECT"):
            continue
        # Captured SQL has its parameters inlined; EXPLAIN it as the page sent it.
        scans = sequential_scans_of_projects(sql, None)
        assert not scans, f"{url}: sequential scan of projects_project ({scans}) in\n{sql}"
        # Nor an index scan that reads as much.
        read = rows_read_from_projects(sql, None)
        assert read < MOST_ROWS_READ, f"{url}: {read:,} rows of projects_project read by\n{sql}"
        checked += 1
    assert checked, f"{url} sent no query on projects_project"


def urls(project, subproject):
    """Every dashboard page that reads projects, in each of its sorts and filters, on its
    first, a middle and its last page."""
    parent, sub = project.public_id, subproject.public_id
    team = f"/accounts/{project.account.public_id}/members/"
    someone = project.account.memberships.order_by("pk").first()
    subprojects = f"/projects/{parent}/subprojects/"
    return [
        team,  # the Members pages: account admins only
        f"{team}invite/",
        f"{team}?q=user",
        f"{team}{someone.public_id}/",
        "/",
        "/projects/",
        "/projects/?q=customer%2019",
        "/projects/?sort=-name",
        "/projects/?sort=created",
        "/projects/?sort=-created&q=top",
        "/projects/?sort=created&q=zzzz",
        "/projects/?cursor=last",
        "/projects.csv",
        "/projects.csv?q=customer%2019&sort=-created",
        "/projects/menu/?partial=1",
        "/projects/menu/?partial=1&q=customer%2012",
        f"/projects/menu/?partial=1&q={sub[:8]}",
        subprojects,
        *(f"{subprojects}?sort={sort}" for sort in ("name", "-name", "created", "-created")),
        *(f"{subprojects}?sort={sort}&cursor=last" for sort in ("name", "-name", "created")),
        f"{subprojects}?q=customer%20199",
        f"{subprojects}?q=customer%20199&sort=name",
        f"/projects/{parent}/subprojects.csv",
        f"/projects/{parent}/subprojects.csv?sort=name&q=customer%2019",
        f"/projects/{parent}/subprojects/removed/",
        f"/projects/{parent}/subprojects/removed/?sort=removed",
        f"/projects/{parent}/",
        f"/projects/{sub}/",
        f"/projects/{parent}/activity/",
        f"/projects/{sub}/activity/",
        f"/projects/{parent}/billing/",
        f"/projects/{parent}/billing/{timezone.now():%Y-%m}/",
        f"/projects/{sub}/spend-limit/",
        f"/projects/{parent}/subprojects/new/",
        f"/projects/{parent}/keys/new/",
        "/accounts/profile/",
        "/help/access-keys/",
    ]


def middle_pages(client, project):
    """The second page of the Subprojects list in each sort (a position, not an OFFSET)."""
    from tests.support.pages import link

    pages = []
    for sort in ("name", "-name", "created", "-created"):
        body = client.get(f"/projects/{project.public_id}/subprojects/?sort={sort}")
        pages.append(link(body.content.decode(), "Next"))
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin_user", "member", "customer"])
def test_no_dashboard_query_scans_the_projects_table(
    request, persona, client_for, crowded_table, account, project, subproject
):
    if persona == "customer":  # an ASP's customer, granted one subproject only
        membership = MembershipFactory(account=account, role=Role.VIEWER)
        GrantFactory(membership=membership, project=subproject)
        user = membership.user
    else:
        user = request.getfixturevalue(persona)
    client = client_for(user)
    client.get(f"/projects/{subproject.public_id}/")  # a current project, as usual
    pages = urls(project, subproject)
    if persona != "customer":
        pages += middle_pages(client, project)
        key, _ = services.access_key_create(project=project, display_name="CI")
        pages.append(f"/projects/{project.public_id}/keys/{key.key_id}/rotate/")
    for url in pages:
        if persona == "customer" and (
            url.startswith(f"/projects/{project.public_id}/") or url.endswith("/spend-limit/")
        ):
            continue  # not theirs: 404 without a query worth planning
        if persona != "admin_user" and url.startswith("/accounts/") and "/members/" in url:
            continue  # the team's pages are the admins' (404)
        assert_no_scan_of_projects(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin_user", "member", "customer"])
def test_choosing_the_first_project_at_sign_in_scans_nothing(
    request, persona, crowded_table, account, subproject
):
    """projects.menu.first_project, run at every sign-in of a user without one."""
    from accounts.models import User
    from projects.menu import first_project

    if persona == "customer":
        membership = MembershipFactory(account=account, role=Role.VIEWER)
        GrantFactory(membership=membership, project=subproject)
        user = membership.user
    else:
        user = request.getfixturevalue(persona)
    user = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        chosen = first_project(user)
    assert chosen is not None
    (query,) = queries.captured_queries
    assert not sequential_scans_of_projects(query["sql"], None), query["sql"]


def rows_read_from_projects(sql, params) -> int:
    """Rows of projects_project that running the query read (EXPLAIN ANALYZE): those it
    returned from each scan and those its filters and rechecks threw away."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    read, nodes = 0, [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node.get("Relation Name") == "projects_project":
            read += node["Actual Loops"] * (
                node["Actual Rows"]
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
        nodes.extend(node.get("Plans", []))
    return read


@pytest.mark.django_db
def test_a_broad_search_reads_the_first_names_in_order_and_joins_only_the_rows_shown(
    client_for, admin_user, crowded_table, project
):
    """The personas' account has 2,000 subprojects named "Customer <n>" (and 90,000 more
    such names are in other accounts): "customer" matches all of them. The search reads
    the account's names in order until the menu is full and loads parents and limits
    for the 20 rows shown only. (With `name__icontains`, PostgreSQL guessed that one
    name matches: it read all 2,000, joined each, then sorted: 4,002 rows read.)"""
    client = client_for(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/projects/menu/?partial=1&q=customer")
    assert response.content.decode().count('<li class="menu-row') == 20
    (search,) = [q["sql"] for q in queries.captured_queries if "customer" in q["sql"].lower()]
    assert project.account.projects.count() > 2_000
    assert rows_read_from_projects(search, None) < 100
