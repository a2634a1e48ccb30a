from django.core.management.base import CommandError

from core.commands import ServiceCommand
from core.credentials import is_well_formed_key_id
from usage import services
from usage.models import PlatformToken


class Command(ServiceCommand):
    help = (
        "Revoke a platform token by its Token ID: the very next request made with it is "
        "refused. Revocation cannot be undone; the token's row stays for the record. "
        "Revoking a revoked token is an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("token_id", help="Token ID (a UUID) of the token to revoke")

    def handle(self, *args, token_id, **options):
        if not is_well_formed_key_id(token_id):
            raise CommandError(f"No platform token has the ID {token_id!r}.")
        token = self.get_or_fail(PlatformToken.objects, "platform token", token_id=token_id)
        services.platform_token_revoke(token=token, actor=self.actor)
        self.stdout.write(f"Revoked the platform token {token.name!r} ({token.token_id}).")
