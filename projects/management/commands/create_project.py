from accounts.models import Account
from projects import services
from projects.management.creating import CreateCommand, parse_labels


class Command(CreateCommand):
    help = (
        "Create a top-level project in an account and print its Project ID. "
        "The name is 1-255 characters after trimming, without control or "
        "bidirectional-override characters; names need not be unique. "
        "Use create_subproject for subprojects."
    )
    where = ("account_id", "public ID of the account (see create_account)")
    name_help = "display name of the project"
    labels = True

    def handle(self, *args, account_id, name, label, **options):
        account = self.get_or_fail(Account.objects, "account", public_id=account_id)
        project = services.project_create(
            account=account, name=name, labels=parse_labels(label), actor=self.actor
        )
        self.stdout.write(project.public_id)
