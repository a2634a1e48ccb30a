from django.core.management.base import BaseCommand

from projects.api import openapi


class Command(BaseCommand):
    help = (
        "Write projects/api/openapi.json, the OpenAPI document served at /api/openapi.json, "
        "from the published contracts in projects/api/contracts and our adjustments "
        "(projects/api/openapi.py). Commit the result; a test fails when it is stale. "
        "With --check, write nothing and fail if the file is not current."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only check the file")

    def handle(self, *args, check, **options):
        text = openapi.render(openapi.build_document())
        current = openapi.DOCUMENT.read_text(encoding="utf-8") if openapi.DOCUMENT.exists() else ""
        if check:
            if current != text:
                self.stderr.write(f"{openapi.DOCUMENT} is stale: run manage.py generate_openapi")
                raise SystemExit(1)
            self.stdout.write(f"{openapi.DOCUMENT} is current.")
            return
        openapi.DOCUMENT.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {openapi.DOCUMENT}.")
