"""URL converters every app's routes use, registered once when the apps are ready
(core.apps), so no URL module imports another to have them.

- `<pid:…>`: a public ID (Project, Account, member and invitation IDs: core.ids.PATTERN);
  anything else is not one of our URLs at all (404 before any view runs).
- `<month:…>`: a calendar month, YYYY-MM (billing's pages);
- `<rid:…>`: an API resource ID up to a colon, so that `{id}:suspend` (a custom method
  in Google's API style) is a method on the resource; `str` would take the verb too.

`project_path` writes a route under a project's pages, `projects/<pid:public_id>/`.
"""

from django.urls import path, register_converter

from . import ids


class _Text:
    """A path segment taken as it is, when it matches `regex`."""

    regex: str

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class PublicIdConverter(_Text):
    regex = ids.PATTERN


class ResourceIdConverter(_Text):
    regex = "[^/:]+"


class MonthConverter(_Text):
    regex = "[0-9]{4}-[0-9]{2}"


def project_path(route: str, view):
    """A page of one project (or subproject), whose view takes `public_id`: the route
    `projects/<pid:public_id>/` + `route`, named after its view (`project_rename`)."""
    return path(f"projects/<pid:public_id>/{route}", view, name=view.__name__)


def register() -> None:
    register_converter(PublicIdConverter, "pid")
    register_converter(MonthConverter, "month")
    register_converter(ResourceIdConverter, "rid")
