from django.views.decorators.debug import sensitive_variables

from core.commands import ServiceCommand
from usage import services


class Command(ServiceCommand):
    help = (
        "Create a platform token for one of the platform's own services (it reports usage "
        "to POST /api/internal/v1/usage:batchRecord with Authorization: Bearer <token>). "
        "Prints its Token ID and the token; the token is printed this once and stored "
        "only as a hash. Customers' access keys never work on the internal API, and "
        "platform tokens never work on the customer API. Revoke with revoke_platform_token."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="what the token is for, e.g. 'sms-gateway eu-west'")

    @sensitive_variables("secret")
    def handle(self, *args, name, **options):
        token, secret = services.platform_token_create(name=name, actor=self.actor)
        self.stdout.write(f"Token ID: {token.token_id}")
        self.stdout.write(f"Token:    {secret}")
        self.stderr.write("The token is shown only this once; it cannot be retrieved later.")
