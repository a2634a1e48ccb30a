from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from billing.flags import with_limit_flag
from core.actors import Actor
from core.errors import ServiceError
from projects import form_tokens, services
from projects.access import can_write, get_project_for_user, get_project_for_write
from projects.forms import SubprojectCreateForm, add_service_error
from projects.menu import name_or_id_matches

from .common import paginate, remember_current


def _render_list(request, project, *, form=None, status=200):
    q = request.GET.get("q", "").strip()
    subprojects = with_limit_flag(project.subprojects.alive().order_by("-created_at", "-public_id"))
    if q:
        subprojects = subprojects.filter(name_or_id_matches(q))
    page = paginate(request, subprojects)
    writable = can_write(project)
    removed = None
    if writable and (removed_id := request.GET.get("removed")):
        # Just removed from here: offer to undo.
        removed = project.subprojects.removed().filter(public_id=removed_id).first()
    context = {
        "removed": removed,
        # Explicit, because after a failed create this page is served at .../new/.
        "list_url": reverse("subproject_list", args=[project.public_id]),
        "project": project,
        "page": page,
        "q": q,
        "created": request.GET.get("created", ""),
        "can_write": writable,
        "form": form or (SubprojectCreateForm() if writable else None),
        "dialog_open": form is not None,
    }
    return render(request, "projects/subproject_list.html", context, status=status)


@require_GET
def subproject_list(request, public_id):
    """The Subprojects page of a project: newest first, 50 a page, searchable."""
    project = get_project_for_user(request.user, public_id)
    remember_current(request, project)
    if project.is_subproject:
        return render(request, "projects/subproject_list_of_subproject.html", {"project": project})
    return _render_list(request, project)


@require_GET
def subproject_removed_list(request, public_id):
    """Subprojects still within their restore window, most recently removed first, each
    with a Restore button for writers: the way back after the one-time "removed" banner
    is gone."""
    project = get_project_for_user(request.user, public_id)
    remember_current(request, project)
    if project.is_subproject:
        return render(request, "projects/subproject_list_of_subproject.html", {"project": project})
    removed = project.subprojects.restorable().order_by("-removed_at", "-public_id")
    page = paginate(request, removed)
    context = {
        "project": project,
        "page": page,
        "list_url": reverse("subproject_removed_list", args=[project.public_id]),
        "can_write": can_write(project),
    }
    return render(request, "projects/subproject_removed_list.html", context)


def _created_redirect(parent, public_id):
    url = reverse("subproject_list", args=[parent.public_id])
    return redirect(f"{url}?created={public_id}" if public_id else url)


@require_http_methods(["GET", "POST"])
def subproject_create(request, public_id):
    """Create a subproject: the dialog's form posts here; GET is its page without JS."""
    parent = get_project_for_write(request.user, public_id)
    if request.method == "GET":
        form = SubprojectCreateForm()
        return render(request, "projects/subproject_create.html", {"project": parent, "form": form})

    form = SubprojectCreateForm(request.POST)
    if form.is_valid():
        created = {}

        def create():
            created["subproject"] = services.subproject_create(
                parent=parent, name=form.cleaned_data["name"], actor=Actor.for_user(request)
            )
            return created["subproject"].public_id

        try:
            outcome = form_tokens.create_once(
                request.user, "subproject-create", form.cleaned_data["token"], create
            )
        except form_tokens.InProgress:
            messages.info(request, "Your subproject is being created.")
            return _created_redirect(parent, None)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if outcome.replayed:
                messages.info(request, "This subproject was already created.")
            else:
                messages.success(request, f"Subproject “{created['subproject'].name}” created.")
            return _created_redirect(parent, outcome.result)

    if request.POST.get("dialog") and not parent.is_subproject:
        # Sent from the dialog: show the list again with the dialog open on its errors.
        return _render_list(request, parent, form=form, status=400)
    return render(
        request, "projects/subproject_create.html", {"project": parent, "form": form}, status=400
    )
