from core.commands import RowCommand
from projects import services
from projects.models import Project


class Command(RowCommand):
    help = (
        "Suspend a project or subproject by the platform, with a reason: its access keys "
        "(and a top-level project's subprojects' keys) and their bearer tokens are refused "
        "with 403 on the next request, saying it is suspended and why, until "
        "resume_project. Nothing is deleted; usage is still accepted. Customers cannot "
        "lift a suspension by the platform. The reason is required, 1-255 characters. "
        "Suspending a suspended project changes its reason. Removed subprojects cannot be "
        "suspended."
    )
    row = ("project_id", "Project ID of the project or subproject")
    rows, what = Project.objects.select_related("parent"), "project"

    def add_options(self, parser):
        parser.add_argument("--reason", required=True, help="why (shown to the customer)")

    def act(self, project, *, reason, **options):
        services.project_suspend(project=project, reason=reason, actor=self.actor)
        self.stdout.write(
            f"Suspended {project.title} ({project.public_id}) by the platform: "
            f"{project.suspend_reason}"
        )
