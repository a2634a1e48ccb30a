from django.core.management.base import BaseCommand

from projects.api import openapi


class Command(BaseCommand):
    help = (
        "Write projects/api/openapi.json, the OpenAPI document served at /api/openapi.json, "
        "from the published contracts in projects/api/contracts and our adjustments "
        "(projects/api/openapi.py). Commit the result: a test fails when it is stale."
    )

    def handle(self, *args, **options):
        openapi.DOCUMENT.write_text(openapi.render(openapi.build_document()), encoding="utf-8")
        self.stdout.write(f"Wrote {openapi.DOCUMENT}.")
