"""What an API without credentials still does per request: find the project its route
names. bench/auth_cost.py compares authentication against that as well as against
reading nothing. The key lookup (projects.api.auth.key_by_sql) reads the route's project
in the key's own query, so against an API that must find the project anyway,
authentication costs only its own work: the key's columns and join, the credentials'
parsing and hash, the key's activity."""

import copy
import functools


def reading_project(principal, target):
    """`principal` (a fixed one, its key's project loaded) with its key's project read
    again from the database by the Project ID the route names, through the ORM, as a
    route without credentials would find it."""
    from projects.api.auth import Principal
    from projects.models import Project

    key = copy.copy(principal.key)
    key.project = Project.objects.select_related("parent").get(public_id=target)
    return Principal(key=key)


@functools.cache
def _project_lookup():
    """The key lookup's SQL without the key: the project by its Project ID, not
    removed, with its parent's columns (the same columns, joins and converters as
    projects.api.auth._lookup, minus the key's)."""
    from django.db import connection

    from projects.api.auth import _PARENT_FIELDS, _converters, _converting
    from projects.models import Project

    p = Project._meta
    q = connection.ops.quote_name
    project_fields = list(p.concrete_fields)
    parent_fields = [p.get_field(name) for name in _PARENT_FIELDS]
    pk, parent = q(p.pk.column), q(p.get_field("parent").column)
    columns = [f"p.{q(f.column)}" for f in project_fields]
    columns += [f"pp.{q(f.column)}" for f in parent_fields]
    # Only names from the model, quoted; the Project ID is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {q(p.db_table)} p "
        f"LEFT JOIN {q(p.db_table)} pp ON pp.{pk} = p.{parent} "
        f"WHERE p.{q(p.get_field('public_id').column)} = %s "
        f"AND p.{q(p.get_field('removed_at').column)} IS NULL"
    )
    converters = _converting([_converters(f, p.db_table) for f in project_fields + parent_fields])
    return (
        sql,
        [f.attname for f in project_fields],
        [f.attname for f in parent_fields],
        converters,
    )


def finding_project(principal, target):
    """`principal` (a fixed one) with its key's project found by the Project ID the
    route names, by the key lookup's own hand-written query without the key: what
    authentication's lookup does, minus authentication."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from projects.api.auth import _convert
    from projects.models import Project

    sql, attnames, parent_attnames, converters = _project_lookup()
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(sql, [target])
        values = list(cursor.fetchone())
    _convert(values, converters, db)
    project = Project.from_db(db.alias, attnames, values[: len(attnames)])
    if values[len(attnames)] is not None:  # the parent's primary key
        project.parent = Project.from_db(db.alias, parent_attnames, values[len(attnames) :])
    principal.key.project = project  # a fixed Principal, one request at a time
    return principal
