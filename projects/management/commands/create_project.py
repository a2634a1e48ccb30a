from accounts.models import Account
from projects import services
from projects.management.creating import NAME_RULE, CreateProjectCommand


class Command(CreateProjectCommand):
    help = (
        "Create a top-level project in an account and print its Project ID. The name is "
        f"{NAME_RULE}; names need not be unique. Use create_subproject for subprojects."
    )
    row = ("account_id", "public ID of the account (see create_account)")
    rows, what = Account.objects, "account"
    name_help = "display name of the project"

    def create(self, account, name, labels):
        return services.project_create(account=account, name=name, labels=labels, actor=self.actor)
