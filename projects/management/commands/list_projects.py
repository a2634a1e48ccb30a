import json

from django.core.management.base import BaseCommand

from accounts.models import Account
from core.commands import get_or_fail
from projects.models import Project

NAME_WIDTH = 40


class Command(BaseCommand):
    help = (
        "List projects and subprojects, oldest first: a table by default, or a JSON "
        "array with --json for scripts. Rows are streamed from the database, so any "
        "number of projects is listed in bounded memory. Removed subprojects are left "
        "out unless --include-removed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--account", metavar="ACCOUNT_ID", help="only this account")
        parser.add_argument(
            "--parent", metavar="PROJECT_ID", help="only this project's subprojects"
        )
        parser.add_argument("--include-removed", action="store_true")
        parser.add_argument("--json", action="store_true", help="a JSON array of objects")

    def handle(self, *args, **options):
        projects = Project.objects.order_by("id")
        if options["account"]:
            account = get_or_fail(Account.objects, "account", public_id=options["account"])
            projects = projects.filter(account=account)
        if options["parent"]:
            parent = get_or_fail(Project.objects, "project", public_id=options["parent"])
            projects = projects.filter(parent=parent)
        if not options["include_removed"]:
            projects = projects.alive()
        rows = projects.values_list(
            "public_id",
            "parent__public_id",
            "account__public_id",
            "name",
            "created_at",
            "removed_at",
        ).iterator(chunk_size=2000)
        if options["json"]:
            self._write_json(rows)
        else:
            self._write_table(rows)

    def _write_json(self, rows):
        self.stdout.write("[", ending="")
        for i, (public_id, parent_id, account_id, name, created, removed) in enumerate(rows):
            item = {
                "projectId": public_id,
                "parentProjectId": parent_id,
                "accountId": account_id,
                "displayName": name,
                "createTime": created.isoformat(),
                "removeTime": removed.isoformat() if removed else None,
            }
            self.stdout.write(
                ("\n" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False), ending=""
            )
        self.stdout.write("\n]")

    def _write_table(self, rows):
        self.stdout.write(f"{'PROJECT ID':26}  {'PARENT':26}  {'NAME':{NAME_WIDTH}}  CREATED")
        for public_id, parent_id, _account, name, created, removed in rows:
            if len(name) > NAME_WIDTH:
                name = name[: NAME_WIDTH - 1] + "…"
            state = "  (removed)" if removed else ""
            self.stdout.write(
                f"{public_id:26}  {parent_id or '-':26}  {name:{NAME_WIDTH}}  "
                f"{created:%Y-%m-%d %H:%M}{state}"
            )
