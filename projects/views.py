from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Project


@require_GET
def project_list(request):
    projects = (
        Project.objects.visible_to(request.user)
        .alive()
        .top_level()
        .select_related("account")
        .order_by("name", "public_id")
    )
    return render(request, "projects/project_list.html", {"projects": projects})
