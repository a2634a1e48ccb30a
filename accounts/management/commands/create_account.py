from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts import services
from accounts.models import Role, User
from core.commands import ServiceCommand


class Command(ServiceCommand):
    help = (
        "Create a customer account and print its public ID. With --admin EMAIL, that "
        "user (created if new, with --password or an unusable password to be reset) "
        "becomes the account's admin, who reaches every project of the account."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument("--admin", metavar="EMAIL", help="make this user the admin")
        parser.add_argument("--password", help="password for a new admin user")

    @transaction.atomic
    def handle(self, *args, name, admin, password, **options):
        try:
            account = services.account_create(name=name, actor=self.actor)
            if admin:
                validate_email(admin)
                user = User.objects.filter(email__iexact=admin).first()
                if user is None:
                    user = User.objects.create_user(email=admin, password=password)
                services.membership_set(
                    account=account, user=user, role=Role.ADMIN, actor=self.actor
                )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(account.public_id)
