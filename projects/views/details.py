from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects import services
from projects.access import can_write, get_project_for_user, get_project_for_write
from projects.forms import LabelsForm, NameForm, add_service_errors, labels_to_text

from .common import can_see, remember_current


def _render_details(request, project, *, name_form=None, labels_form=None, status=200):
    writable = can_write(project)
    context = {
        "project": project,
        # Link to the parent only for who may open it: a customer granted just this
        # subproject sees the parent's name in the title, and nothing more.
        "parent_visible": project.is_subproject and can_see(request.user, project.parent_id),
        "can_write": writable,
        "name_form": name_form or NameForm(initial={"name": project.name}),
        "labels_form": labels_form
        or LabelsForm(initial={"labels": labels_to_text(project.labels)}),
    }
    return render(request, "projects/project_detail.html", context, status=status)


@require_GET
def project_detail(request, public_id):
    """The details panel: title, Project ID, general settings, access keys, removal."""
    project = get_project_for_user(request.user, public_id)
    remember_current(request, project)
    return _render_details(request, project)


@require_POST
def project_rename(request, public_id):
    project = get_project_for_write(request.user, public_id)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.project_update(
                project=project, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Renamed to “{project.name}”.")
            return redirect("project_detail", project.public_id)
    project.refresh_from_db(fields=["name"])
    return _render_details(request, project, name_form=form, status=400)


@require_POST
def project_labels(request, public_id):
    project = get_project_for_write(request.user, public_id)
    form = LabelsForm(request.POST)
    if form.is_valid():
        try:
            services.project_update(
                project=project, labels=form.cleaned_data["labels"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Labels saved.")
            return redirect("project_detail", project.public_id)
    project.refresh_from_db(fields=["labels"])
    return _render_details(request, project, labels_form=form, status=400)


def _after_removal_url(user, subproject):
    if can_see(user, subproject.parent_id):
        url = reverse("subproject_list", args=[subproject.parent.public_id])
        return f"{url}?removed={subproject.public_id}"
    return reverse("project_list")


@require_http_methods(["GET", "POST"])
def subproject_remove(request, public_id):
    """GET asks for confirmation, naming the subproject; POST removes it."""
    project = get_project_for_write(request.user, public_id)
    if request.method == "GET" or not project.is_subproject:
        status = 200 if project.is_subproject else 400
        return render(
            request, "projects/subproject_remove.html", {"project": project}, status=status
        )
    services.subproject_remove(subproject=project, actor=request.user)
    messages.success(
        request,
        f"Subproject “{project.name}” removed. Its access keys no longer work. "
        "It can be restored for 30 days.",
    )
    return redirect(_after_removal_url(request.user, project))


@require_POST
def subproject_restore(request, public_id):
    project = get_project_for_write(request.user, public_id, include_removed=True)
    try:
        services.subproject_restore(subproject=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("project_list")
    messages.success(request, f"Subproject “{project.name}” restored.")
    return redirect("project_detail", project.public_id)
