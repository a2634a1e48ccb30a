from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Account
from projects import services
from projects.management.labels import parse_labels


class Command(BaseCommand):
    help = (
        "Create a top-level project in an account and print its Project ID. "
        "The name is 1-255 characters after trimming, without control or "
        "bidirectional-override characters; names need not be unique. "
        "Use create_subproject for subprojects."
    )

    def add_arguments(self, parser):
        parser.add_argument("account_id", help="public ID of the account (see create_account)")
        parser.add_argument("name", help="display name of the project")
        parser.add_argument(
            "--label", action="append", default=[], metavar="KEY=VALUE", help="repeatable"
        )

    def handle(self, *args, account_id, name, label, **options):
        try:
            account = Account.objects.get(public_id=account_id)
        except Account.DoesNotExist:
            raise CommandError(f"No account has the ID {account_id!r}.") from None
        try:
            project = services.project_create(
                account=account, name=name, labels=parse_labels(label)
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(project.public_id)
