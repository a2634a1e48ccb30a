"""URL converters every app's routes use, registered once when the apps are ready
(core.apps), so no URL module imports another to have them.

- `<pid:…>`: a public ID (Project, Account, member and invitation IDs: core.ids.PATTERN);
  anything else is not one of our URLs at all (404 before any view runs).
- `<month:…>`: a calendar month, YYYY-MM (billing's pages);
- `<rid:…>`: an API resource ID up to a colon, so that `{id}:suspend` (a custom method
  in Google's API style) is a method on the resource; `str` would take the verb too.
"""

from django.urls import register_converter

from . import ids


class PublicIdConverter:
    regex = ids.PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ResourceIdConverter:
    regex = "[^/:]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MonthConverter:
    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def register() -> None:
    register_converter(PublicIdConverter, "pid")
    register_converter(MonthConverter, "month")
    register_converter(ResourceIdConverter, "rid")
