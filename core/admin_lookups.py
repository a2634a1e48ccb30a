"""No admin URL may filter on a secret's hash.

The admin turns query parameters into filters (`?secret_hash__startswith=ab`), and by
default allows any lookup on a model's own fields: by bisecting the prefix an operator
(or anyone with a stolen staff session) could read a stored hash one character at a
time. Django's own user admin refuses lookups on `password`; this does the same for
every field that holds a hash, on every model admin, through relations too
(`?access_keys__secret_hash__startswith=` on projects).
"""

from django.db.models.constants import LOOKUP_SEP

SECRET_FIELDS = frozenset({"password", "secret_hash", "token_hash"})


def involves_secret(lookup: str) -> bool:
    return not SECRET_FIELDS.isdisjoint(lookup.split(LOOKUP_SEP))


class NoSecretLookupsMixin:
    """For every ModelAdmin of a model that holds, or leads to, a hash."""

    def lookup_allowed(self, lookup, value, request):
        if involves_secret(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)
