from django.core.management.base import CommandError

from core.commands import RowCommand
from projects import services
from projects.models import AccessKey


class Command(RowCommand):
    help = (
        "Revoke an access key by its Key ID. The key, and every bearer token made from "
        "it, stops working on the very next request. Revocation cannot be undone; the "
        "key's row stays for the record. Revoking a revoked key is an error."
    )
    row = ("key_id", "Key ID (a UUID) of the key to revoke")
    rows, what, lookup = AccessKey.objects.select_related("project"), "access key", "key_id"

    def act(self, key, **options):
        if key.is_revoked:
            raise CommandError(
                f"The access key {key.key_id} was already revoked at {key.revoked_at}."
            )
        services.access_key_revoke(key=key, actor=self.actor)
        self.stdout.write(
            f"Revoked {key.display_name!r} ({key.key_id}) of {key.project.public_id}."
        )
