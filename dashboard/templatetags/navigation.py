from django import template

from dashboard import navigation

register = template.Library()


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    """The navigation of the page shell (dashboard.navigation), for the signed-in user."""
    request = context["request"]
    project = context.get("top_bar_current")
    project = project if project else None  # (a lazy object holding None)
    project_links = navigation.project_links(request, project)
    account_links = navigation.account_links(request, request.user)
    here = next((link.label for link in project_links + account_links if link.current), "")
    return {
        "project": project,
        "project_links": project_links,
        "account_links": account_links,
        "here": here,
    }
