import json

from django.conf import settings
from django.contrib import messages
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.current import remember_project
from core import form_tokens
from core.actors import Actor
from core.csv_stream import csv_response
from core.forms import perform, submit
from core.lists import keyset_list
from core.times import timestamp
from projects import services
from projects.access import can_write, get_project_for_user, get_project_for_write
from projects.contributions import with_row_flags
from projects.forms import SubprojectCreateForm
from projects.menu import name_or_id_matches

from .common import REMOVED_SORTS, SUBPROJECT_SORTS, service_api_url

NOUN = ("subproject", "subprojects")


def _filtered(request, project):
    """The project's subprojects that are not removed, filtered by ?q= (name or ID)."""
    q = request.GET.get("q", "").strip()
    subprojects = project.subprojects.alive().annotate(sort_name=Lower("name"))
    if q:
        subprojects = subprojects.filter(name_or_id_matches(q))
    return q, subprojects


def _render_list(request, project, *, form=None, status=200):
    q, subprojects = _filtered(request, project)
    page = keyset_list(
        request,
        with_row_flags(subprojects),  # e.g. the spend-limit badge, in the rows' own query
        sorts=SUBPROJECT_SORTS,
        context=f"subprojects:{project.public_id}:{q}",
        # Unfiltered, the count the services keep on the parent (free); filtered, the
        # matches counted up to core.lists.COUNT_LIMIT.
        total=subprojects if q else project.subproject_count,
        noun=NOUN,
    )
    writable = can_write(project)
    removed = None
    if writable and (removed_id := request.GET.get("removed")):
        # Just removed from here: offer to undo.
        removed = project.subprojects.removed().filter(public_id=removed_id).first()
    list_url = reverse("subproject_list", args=[project.public_id])
    created = request.GET.get("created", "")
    context = {
        "removed": removed,
        # Explicit, because after a failed create this page is served at .../new/.
        "list_url": list_url,
        "csv_url": reverse("subproject_list_csv", args=[project.public_id]),
        "project": project,
        "page": page,
        "q": q,
        "created": created,
        "can_write": writable,
        "form": form or (SubprojectCreateForm() if writable else None),
        "dialog_open": form is not None,
        "created_service_api_url": service_api_url(created) if created else "",
    }
    if page.error and status == 200:
        status = 400
    return render(request, "projects/subproject_list.html", context, status=status)


@require_GET
def subproject_list(request, public_id):
    """The Subprojects page of a project: newest first (or as ?sort= says), 50 a page,
    filtered by ?q=, with the total."""
    project = get_project_for_user(request.user, public_id)
    remember_project(request, project)
    if project.is_subproject:
        return render(request, "projects/subproject_list_of_subproject.html", {"project": project})
    return _render_list(request, project)


CSV_HEADER = ["name", "project_id", "created", "state", "suspend_reason", "labels"]


@require_GET
def subproject_list_csv(request, public_id):
    """The Subprojects page's list as CSV: every row the filter selects, in its sort,
    streamed (core.csv_stream)."""
    project = get_project_for_user(request.user, public_id)
    if project.is_subproject:
        raise Http404("A subproject has no subprojects.")
    _q, subprojects = _filtered(request, project)
    parsed = SUBPROJECT_SORTS.parse(request.GET.get("sort"))
    _sort, order = parsed or SUBPROJECT_SORTS.parse(SUBPROJECT_SORTS.default)
    rows = (
        [
            sub.name,
            sub.public_id,
            timestamp(sub.created_at),
            "suspended" if sub.suspended_at else "active",
            sub.suspend_reason,
            json.dumps(sub.labels, ensure_ascii=False, sort_keys=True) if sub.labels else "",
        ]
        for sub in subprojects.order_by(*order).iterator(chunk_size=2000)
    )
    return csv_response(f"subprojects-{project.public_id}", CSV_HEADER, rows)


@require_GET
def subproject_removed_list(request, public_id):
    """Subprojects still within their restore window, most recently removed first, each
    with a Restore button for writers: the way back after the one-time "removed" banner
    is gone."""
    project = get_project_for_user(request.user, public_id)
    remember_project(request, project)
    if project.is_subproject:
        return render(request, "projects/subproject_list_of_subproject.html", {"project": project})
    removed = project.subprojects.restorable()
    page = keyset_list(
        request,
        removed,
        sorts=REMOVED_SORTS,
        context=f"removed:{project.public_id}",
        total=removed,  # within 30 days: few, counted through project_children_removed
        noun=("removed subproject", "removed subprojects"),
    )
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
    created = {}

    def create_once(data):
        def create():
            created["subproject"] = services.subproject_create(
                parent=parent, name=data["name"], actor=Actor.for_user(request)
            )
            return created["subproject"].public_id

        return form_tokens.create_once(request.user, "subproject-create", data["token"], create)

    try:
        submitted = submit(form, create_once)
    except form_tokens.InProgress:
        messages.info(request, "Your subproject is being created.")
        return _created_redirect(parent, None)
    if submitted:
        outcome = submitted.result
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


@require_POST
def subprojects_remove(request, public_id):
    """Remove the subprojects selected on the Subprojects page, behind one confirmation.

    The list's form posts the selected Project IDs here: the answer is a page naming
    how many and which, whose button posts them again with `confirm`; that removes them
    (services.subprojects_remove) and goes back to the list.
    """
    parent = get_project_for_write(request.user, public_id)
    list_url = reverse("subproject_list", args=[parent.public_id])
    ids = request.POST.getlist("ids")
    if not ids:
        messages.error(request, "Select the subprojects to remove first: tick their boxes.")
        return redirect(list_url)
    if len(ids) > services.REMOVE_MANY_LIMIT:
        messages.error(
            request, f"Select at most {services.REMOVE_MANY_LIMIT} subprojects at a time."
        )
        return redirect(list_url)
    if request.POST.get("confirm"):
        removal = perform(request, services.subprojects_remove, parent=parent, public_ids=ids)
        if not removal:
            return redirect(list_url)
        if removed := removal.result:
            count = len(removed)
            messages.success(
                request,
                f"{count} subproject{'s' if count != 1 else ''} removed. Their access keys no "
                f"longer work. Each can be restored for {settings.SUBPROJECT_RESTORE_DAYS} "
                "days, from the Removed tab.",
            )
        else:
            messages.info(request, "Nothing was removed: those subprojects were already gone.")
        return redirect(list_url)
    chosen = list(
        parent.subprojects.alive()
        .filter(public_id__in=ids)
        .order_by(Lower("name"), "public_id")[: services.REMOVE_MANY_LIMIT]
    )
    if not chosen:
        messages.info(request, "Those subprojects were already removed.")
        return redirect(list_url)
    context = {"project": parent, "chosen": chosen, "list_url": list_url}
    return render(request, "projects/subprojects_remove.html", context)
