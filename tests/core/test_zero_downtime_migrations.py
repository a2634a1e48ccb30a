"""The backfills of accounts 0003 and projects 0005, rewritten set-based and batched
(docs/operations.md, "Upgrading"), fill what the per-row versions filled. Their SQL
runs here on today's tables, which still have every column it reads and writes; the
whole upgrade at production's size is bench/migration_upgrade.py."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from accounts.models import Membership, User
from core.migration_operations import AddIndexConcurrently
from projects.models import Project
from tests.factories import AccountFactory, MembershipFactory, ProjectFactory, UserFactory

team_0003 = importlib.import_module("accounts.migrations.0003_team")
count_0005 = importlib.import_module("projects.migrations.0005_subproject_count")

EDITOR = SimpleNamespace(connection=connection)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(team_0003, "BATCH", 2)  # several batches with a few rows


def test_each_member_gets_a_current_account(db, small_batches):
    zebra, alpha, other = (AccountFactory(name=n) for n in ("Zebra", "Alpha", "Other"))
    zebra_project, other_project = ProjectFactory(account=zebra), ProjectFactory(account=other)
    # In their current project's account: that account, the project kept.
    kept = UserFactory(current_project=zebra_project)
    # Current project in an account they left: the first account by name, project dropped.
    moved = UserFactory(current_project=other_project)
    # No current project: the first account by name.
    plain = UserFactory()
    for user in (kept, moved, plain):
        MembershipFactory(user=user, account=zebra)
        MembershipFactory(user=user, account=alpha)
    loner = UserFactory(current_project=other_project)  # no membership: left alone
    User.objects.update(current_account=None)

    team_0003.fill_current_accounts(apps, EDITOR)

    got = {u.pk: (u.current_account_id, u.current_project_id) for u in User.objects.all()}
    assert got[kept.pk] == (zebra.pk, zebra_project.pk)
    assert got[moved.pk] == (alpha.pk, None)
    assert got[plain.pk] == (alpha.pk, None)
    assert got[loner.pk] == (None, other_project.pk)


def test_batches_cover_every_row_once(db, small_batches):
    for _ in range(5):
        MembershipFactory()
    ranges = list(team_0003._batches(Membership, "default"))
    assert len(ranges) == 3
    keys = sorted(Membership.objects.values_list("pk", flat=True))
    covered = [k for low, high in ranges for k in keys if low < k <= high]
    assert covered == keys


def test_subproject_counts_are_filled_in_one_statement(db, django_assert_num_queries):
    parent, lonely = ProjectFactory(), ProjectFactory()
    ProjectFactory(parent=parent)
    ProjectFactory(parent=parent)
    ProjectFactory(parent=parent, removed=True)
    Project.objects.update(subproject_count=7)
    Project.objects.filter(pk=lonely.pk).update(subproject_count=0)
    Project.objects.filter(pk=parent.pk).update(subproject_count=0)

    with django_assert_num_queries(1), connection.cursor() as cursor:
        cursor.execute(count_0005.FILL)

    parent.refresh_from_db()
    lonely.refresh_from_db()
    assert (parent.subproject_count, lonely.subproject_count) == (2, 0)


def test_the_migrations_that_fill_or_index_big_tables_are_not_atomic():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in [
        ("accounts", "0003_team"),
        ("projects", "0005_subproject_count"),
        ("projects", "0006_subproject_list_indexes"),
        ("projects", "0009_project_alive_by_name"),
    ]:
        migration = loader.disk_migrations[key]
        assert migration.atomic is False, key
    for key in [
        ("projects", "0006_subproject_list_indexes"),
        ("projects", "0009_project_alive_by_name"),
    ]:
        operations = loader.disk_migrations[key].operations
        assert all(isinstance(op, AddIndexConcurrently) for op in operations), key


@pytest.mark.django_db(transaction=True)
def test_the_indexes_were_built_concurrently_and_are_valid_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("CREATE INDEX CONCURRENTLY is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index AS i "
            "JOIN pg_class AS c ON c.oid = i.indexrelid "
            "WHERE c.relname IN ('project_children_by_name', 'project_children_removed', "
            "'project_alive_by_name')"
        )
        assert sorted(cursor.fetchall()) == [
            ("project_alive_by_name", True),
            ("project_children_by_name", True),
            ("project_children_removed", True),
        ]


def test_migrate_sets_a_lock_timeout_on_postgresql(db, settings):
    from core.migration_operations import set_lock_timeout

    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's")
    settings.MIGRATION_LOCK_TIMEOUT = 1.5
    set_lock_timeout(sender=None, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "1500ms"
        cursor.execute("SET lock_timeout = 0")
