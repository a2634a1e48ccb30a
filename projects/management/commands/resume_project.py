from core.commands import RowCommand
from projects import services
from projects.models import Project


class Command(RowCommand):
    help = (
        "Resume a suspended project or subproject (by the platform or its customer): its "
        "access keys work again on the next request. Resuming a project that is not "
        "suspended changes nothing and says so."
    )
    row = ("project_id", "Project ID of the project or subproject")
    rows, what = Project.objects.select_related("parent"), "project"

    def act(self, project, **options):
        if not project.is_suspended:
            self.stdout.write(f"{project.title} ({project.public_id}) is not suspended.")
            return
        services.project_resume(project=project, actor=self.actor)
        self.stdout.write(f"Resumed {project.title} ({project.public_id}).")
