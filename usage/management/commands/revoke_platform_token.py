from core.commands import RowCommand
from usage import services
from usage.models import PlatformToken


class Command(RowCommand):
    help = (
        "Revoke a platform token by its Token ID: the very next request made with it is "
        "refused. Revocation cannot be undone; the token's row stays for the record. "
        "Revoking a revoked token is an error."
    )
    row = ("token_id", "Token ID (a UUID) of the token to revoke")
    rows, what, lookup = PlatformToken.objects, "platform token", "token_id"

    def act(self, token, **options):
        services.platform_token_revoke(token=token, actor=self.actor)
        self.stdout.write(f"Revoked the platform token {token.name!r} ({token.token_id}).")
