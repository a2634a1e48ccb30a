from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from projects.models import Project


@require_GET
def home(request):
    """The dashboard opens on the current project: its subprojects, or a subproject's
    details; on the projects page when there is none (or it is gone)."""
    current_id = request.user.current_project_id
    if current_id:
        current = (
            Project.objects.visible_to(request.user)
            .alive()
            .filter(pk=current_id)
            .values("public_id", "parent_id")
            .first()
        )
        if current is not None:
            view = "project_detail" if current["parent_id"] else "subproject_list"
            return redirect(view, current["public_id"])
    return redirect("project_list")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
