from django.views.decorators.debug import sensitive_variables

from core.commands import ServiceCommand
from usage import services
from usage.models import PLATFORM_SCOPES


class Command(ServiceCommand):
    help = (
        "Create a platform token for one of the platform's own services (it reports usage "
        "to POST /api/internal/v1/usage:batchRecord with Authorization: Bearer <token>). "
        "Prints its Token ID and the token; the token is printed this once and stored "
        "only as a hash. Customers' access keys never work on the internal API, and "
        "platform tokens never work on the customer API. Revoke with revoke_platform_token. "
        "--scope (repeatable) limits what it may call: ingest (report usage), limits (ask "
        "whether a project may send); without it, both. A call outside its scopes answers "
        "403 PERMISSION_DENIED."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="what the token is for, e.g. 'sms-gateway eu-west'")
        parser.add_argument(
            "--scope",
            action="append",
            choices=list(PLATFORM_SCOPES),
            dest="scopes",
            help="what the token may call (repeat for both; default: both)",
        )

    @sensitive_variables("secret")
    def handle(self, *args, name, scopes=None, **options):
        token, secret = services.platform_token_create(
            name=name, scopes=scopes or list(PLATFORM_SCOPES), actor=self.actor
        )
        self.stdout.write(f"Token ID: {token.token_id}")
        self.stdout.write(f"Token:    {secret}")
        self.stdout.write(f"Scopes:   {token.scopes}")
        self.stderr.write("The token is shown only this once; it cannot be retrieved later.")
