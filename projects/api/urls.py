"""Routes under /api. Each resource module keeps its own patterns."""

from django.urls import include, path, re_path

from . import access_keys, subprojects
from .base import unknown_path

urlpatterns = [
    path("", include(access_keys)),
    path("", include(subprojects)),
    # Anything else under /api answers in the API's error shape, not an HTML page.
    re_path(r"^(?P<path>.*)$", unknown_path),
]
