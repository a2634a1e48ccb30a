from django.core.management.base import BaseCommand

from api import openapi


class Command(BaseCommand):
    help = (
        "Write api/openapi.json, the OpenAPI document served at /api/openapi.json, from "
        "each app's fragment (the published contracts in projects/api/contracts with our "
        "adjustments, and the usage and billing APIs). Commit the result: a test fails "
        "when it is stale."
    )

    def handle(self, *args, **options):
        openapi.DOCUMENT.write_text(openapi.render(openapi.build_document()), encoding="utf-8")
        self.stdout.write(f"Wrote {openapi.DOCUMENT}.")
