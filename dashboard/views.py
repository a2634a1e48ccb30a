import hmac
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import BadRequest, DisallowedHost
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import CollectorRegistry, generate_latest

from core.api.middleware import is_api_path
from core.client import address_in, client_address
from core.jobs import JobCollector
from core.metrics import backend_unavailable, cache_errors
from core.outages import RETRY_AFTER, backend_of
from projects.current import ensure_current_project


@require_GET
def home(request):
    """The dashboard opens on the current project: its subprojects, or a subproject's
    details. A current project that is gone is replaced by the first one the user sees;
    with none at all, the projects page (which says what to do)."""
    current = ensure_current_project(request.user)
    if current is None:
        return redirect("project_list")
    view = "project_detail" if current.parent_id else "subproject_list"
    return redirect(view, current.public_id)


@require_GET
def help_access_keys(request):
    """What access keys reach and how to rotate one: the Access keys section's "Learn
    more" (docs/user-guide.md's "Access keys" says the same at length)."""
    return render(request, "help/access_keys.html")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness: this process answers. It never touches the database or the cache: a
    liveness probe that failed with the database would have every server restarted
    during a database outage, which restarting cannot fix. /readyz checks those."""
    return HttpResponse("ok", content_type="text/plain")


_migrations_applied = False  # once true, true for good: this process's code is fixed


def _database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def _migrations_check() -> str:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} pending"
        _migrations_applied = True
    return "ok"


def _cache_check() -> str:
    try:
        cache.get("readyz-probe")
    except Exception:  # any backend's failure: reported, never raised
        cache_errors.inc()
        return "unreachable"
    return "ok"


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Readiness: the database answers and has every migration, so this server can
    serve. The cache is reported but does not decide: nothing needs it to answer
    correctly, and taking every server out of the load balancer because of it would
    turn a cache outage into a full one."""
    checks = {"database": _database_check()}
    checks["migrations"] = _migrations_check() if checks["database"] == "ok" else "unknown"
    checks["cache"] = _cache_check()
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    response = JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def metrics_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    return address_in(client_address(request), settings.METRICS_ALLOWED_NETWORKS)


@login_not_required
@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics (django-prometheus), for the networks or the token the
    settings name; 404 for everyone else, as if there were nothing here."""
    if not metrics_allowed(request):
        raise Http404
    response = ExportToDjangoView(request)
    # The scheduled jobs' last runs, read from the database at each scrape (core.jobs):
    # the same on every server, so outside the per-process registries.
    response.content += generate_latest(_JOBS)
    return response


_JOBS = CollectorRegistry(auto_describe=False)
_JOBS.register(JobCollector())


def _plain_error_page(request, status: int, **context) -> HttpResponse:
    """The standalone error page (templates/500.html): no database, no host, no session
    needed, so it can answer whatever failed. Under /api/ and /oauth2/ no page at all:
    ApiErrorMiddleware answers JSON instead."""
    context["request_id"] = getattr(request, "request_id", "")
    if is_api_path(request.path):
        return HttpResponse(status=status, content_type="text/plain")
    try:
        page = loader.get_template("500.html").render(context)
    except Exception:  # e.g. static files not collected: an error page must not fail
        page = f"{context.get('heading', 'Error')}. Request ID: {context['request_id']}"
        return HttpResponse(page, status=status, content_type="text/plain")
    return HttpResponse(page, status=status)


def bad_request(request, exception):
    """handler400. Under /api/ and /oauth2/ ApiErrorMiddleware turns it into JSON with
    `api_message`."""
    if isinstance(exception, BadRequest):  # ours (e.g. core.unstorable_input): says why
        message = str(exception)
    elif isinstance(exception, DisallowedHost):
        message = "This server does not answer for the host name in this request."
    else:
        message = "The request could not be read: it is malformed or too large."
    response = _plain_error_page(
        request, 400, heading="Bad request", text=f"{message} Check the address and try again."
    )
    response.api_message = message
    return response


def server_error(request):
    """handler500. A database or cache outage is 503 with Retry-After (try again
    shortly; nothing is wrong with the request), anything else 500."""
    backend = backend_of(sys.exc_info()[1])  # still inside Django's `except` block
    if backend is None:
        return _plain_error_page(request, 500)
    backend_unavailable.labels(backend).inc()
    response = _plain_error_page(
        request,
        503,
        heading="Temporarily unavailable",
        text="The service could not reach its database or cache. Nothing was changed by "
        f"this request; try again in {RETRY_AFTER} seconds.",
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without its valid token (most often a page left
    open past the session, or cookies blocked). In the dashboard's shell, saying what to
    do; nothing was changed. Standalone if even that cannot be drawn."""
    context = {"request_id": getattr(request, "request_id", "")}
    try:
        return render(request, "403_csrf.html", context, status=403)
    except Exception:  # an error page must not fail (e.g. the database is down)
        return _plain_error_page(
            request,
            403,
            heading="This form has expired",
            text="Nothing was changed. Go back, reload the page, and send the form again.",
        )
