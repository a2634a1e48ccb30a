from core.commands import ServiceCommand
from projects import services
from projects.models import Project


class Command(ServiceCommand):
    help = (
        "Resume a suspended project or subproject (by the platform or its customer): its "
        "access keys work again on the next request. Resuming a project that is not "
        "suspended changes nothing and says so."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_id", help="Project ID of the project or subproject")

    def handle(self, *args, project_id, **options):
        project = self.get_or_fail(
            Project.objects.select_related("parent"), "project", public_id=project_id
        )
        if not project.is_suspended:
            self.stdout.write(f"{project.title} ({project.public_id}) is not suspended.")
            return
        services.project_resume(project=project, actor=self.actor)
        self.stdout.write(f"Resumed {project.title} ({project.public_id}).")
