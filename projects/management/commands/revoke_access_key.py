from django.core.management.base import CommandError

from core.commands import ServiceCommand
from core.credentials import is_well_formed_key_id
from projects import services
from projects.models import AccessKey


class Command(ServiceCommand):
    help = (
        "Revoke an access key by its Key ID. The key, and every bearer token made from "
        "it, stops working on the very next request. Revocation cannot be undone; the "
        "key's row stays for the record. Revoking a revoked key is an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="Key ID (a UUID) of the key to revoke")

    def handle(self, *args, key_id, **options):
        key = None
        if is_well_formed_key_id(key_id):
            key = AccessKey.objects.select_related("project").filter(key_id=key_id).first()
        if key is None:
            raise CommandError(f"No access key has the ID {key_id!r}.")
        if key.is_revoked:
            raise CommandError(f"The access key {key_id} was already revoked at {key.revoked_at}.")
        services.access_key_revoke(key=key, actor=self.actor)
        self.stdout.write(
            f"Revoked {key.display_name!r} ({key.key_id}) of {key.project.public_id}."
        )
