"""`{% load customer_login %}`: templates ask projects.customers, the one rule, whether
the user looking at a project is its customer (rather than reading `parent_visible`
themselves)."""

from django import template

from projects.customers import is_customer_login as _is_customer_login

register = template.Library()


@register.filter
def is_customer_login(project) -> bool:
    """`{% if project|is_customer_login %}`: a subproject loaded (projects.access) for a
    login that does not see its parent: the ASP's customer."""
    return _is_customer_login(project)
