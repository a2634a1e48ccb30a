from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Account, Role, User
from billing import demo as billing_demo
from projects import services
from projects.models import Project
from usage import demo as usage_demo

PASSWORD = "demo-console-2026"  # noqa: S105 - demo data only, printed on purpose

USERS = [
    # email, role, granted project (None: an admin reaches every project)
    ("admin@example.com", Role.ADMIN, None),
    ("member@example.com", Role.MEMBER, "Acme Messaging Production"),
    ("viewer@example.com", Role.VIEWER, "Acme Messaging Production"),
    ("customer@example.com", Role.VIEWER, "Taco Time"),
]
PROJECTS = {
    "Acme Messaging Production": [
        ("Taco Time", {"region": "US-Northwest", "industry": "restaurant"}),
        ("Newfangled Sassy Actuaries", {"region": "UK-London"}),
        ("Not Yo Momma's Cookin'", {}),
    ],
    "Acme Messaging Staging": [("QA customer", {"purpose": "testing"})],
}
# A second account, whose admin is also Acme's: the top bar then offers the account
# switcher (named after Acme's, so that the demo admin starts in Acme).
OTHER_ACCOUNT = "Burrito Wholesale"
OTHER_PROJECTS = {"Burrito Wholesale SMS": [("Corner Deli", {"region": "US-East"})]}


class Command(BaseCommand):
    help = (
        "Load demo data: the account “Acme Messaging” with an admin, a member, a viewer "
        "and an ASP's customer (a viewer of one subproject), two projects with "
        "subprojects (one suspended) and 90 days of usage, billed at the default price list "
        "(past months closed, one subproject over its spend limit), and an operator for "
        "the admin site; admin@example.com also administers a second account, “Burrito "
        "Wholesale”, to show the account switcher. "
        "Idempotent: running it again changes nothing that exists and resets only the "
        "demo passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="printed login URL")

    def handle(self, *args, url, **options):
        self._load()  # one transaction; what it emails (spend-limit alerts) goes first
        self._print_sign_in(url)

    @transaction.atomic
    def _load(self):
        account = self._account("Acme Messaging")
        by_name = self._projects(account, PROJECTS)

        for email, role, granted in USERS:
            user = self._user(email)
            membership = account_services.membership_set(account=account, user=user, role=role)
            if granted:
                services.grant_set(membership=membership, project=by_name[granted])

        # One customer who has not paid, to show suspension (its keys are refused).
        services.project_suspend(
            project=by_name["Not Yo Momma's Cookin'"], reason="Unpaid invoice (demo)"
        )

        usage_demo.fill(by_name.values())  # 90 days of usage, idempotent
        # The default price list; past months closed; a spend limit reached.
        billing_demo.fill(limited=by_name["QA customer"])

        other = self._account(OTHER_ACCOUNT)
        self._projects(other, OTHER_PROJECTS)
        admin = User.objects.get(email=USERS[0][0])
        account_services.membership_set(account=other, user=admin, role=Role.ADMIN)

        operator = self._user("operator@example.com")
        operator.is_staff = operator.is_superuser = True
        operator.save(update_fields=["is_staff", "is_superuser"])

    def _account(self, name):
        account = Account.objects.filter(name=name).first()
        if account is None:
            account = account_services.account_create(name=name)
            # It has existed as long as its usage (statements begin with its month).
            since = timezone.now() - timedelta(days=usage_demo.DAYS)
            Account.objects.filter(pk=account.pk).update(created_at=since)
            account.created_at = since
        return account

    def _projects(self, account, projects) -> dict:
        """The projects {name: [(subproject name, labels)]} of `account`, made if
        missing; every one of them by name."""
        by_name = {}
        for name, children in projects.items():
            project = Project.objects.filter(account=account, name=name, parent=None).first()
            project = project or services.project_create(account=account, name=name)
            by_name[name] = project
            for child_name, labels in children:
                child = project.subprojects.filter(name=child_name).first()
                by_name[child_name] = child or services.subproject_create(
                    parent=project, name=child_name, labels=labels
                )
        return by_name

    def _print_sign_in(self, url):
        out = self.stdout.write
        out(self.style.SUCCESS("Demo data is ready."))
        out(f"  Dashboard:   {url}/")
        out(f"  Admin site:  {url}/admin/")
        out(f"  Password for every demo user: {PASSWORD}")
        for email, role, granted in USERS:
            scope = f"only {granted}" if granted else f"every project, and {OTHER_ACCOUNT}'s"
            out(f"    {email:24} {role.label:7} {scope}")
        out(f"    {'operator@example.com':24} operator (admin site)")

    def _user(self, email):
        user = User.objects.filter(email=email).first() or User(email=email)
        user.set_password(PASSWORD)
        user.save()
        return user
