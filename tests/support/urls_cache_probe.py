"""The project's URLs plus a view that needs the cache, for tests/test_cache_outage.py
(nothing in the product needs the cache; this stands for code that one day might)."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import JsonResponse
from django.urls import path

from dashboard.urls import handler400, handler500
from dashboard.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler500", "urlpatterns"]


@login_not_required
def needs_the_cache(request):
    return JsonResponse({"value": cache.get("probe")})


urlpatterns = [
    path("api/v1/cache-probe", needs_the_cache),
    path("cache-probe", needs_the_cache),
    *project_urlpatterns,
]
