"""Template helpers for the rows of long lists (50 subprojects, 20 menu rows…).

`{% include %}` and `{% url %}` cost tens of microseconds each: per row, they were most
of a list page's time. These do the same work once per process (a URL's shape) or with
one format_html per row, and render the same HTML:

- `{{ project|details_url }}`, `{{ project|subprojects_url }}`, `{{ project|open_url }}`
  (a top-level project opens on its Subprojects page, a subproject on its details);
- `{% copy_value value "Project ID" code_class="project-id" marker="project-id" %}`: a
  value with its copy icon (static/js/app.js handles [data-copy]);
- `{% local_time value "j M Y, H:i" %}`: a <time> element in the user's time zone,
  which it names;
- `{% project_title project %}`: `<bdi>Parent</bdi> &gt; <bdi>Name</bdi>` (Project.title
  as HTML), wherever a page names a project;
- `{% row_badges project %}`, `{% suspended_badge project %}`: a row's badges;
- `{% menu_row row %}`: one row of the Projects menu (20 a search), as one string.
"""

import functools

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.ids import PUBLIC_ID_RE
from projects import contributions
from projects.models import Project

register = template.Library()

_MARK = "0" * 26  # a well-formed Project ID, replaced by the real one


@functools.lru_cache(maxsize=64)
def _around(name: str, urlconf, script_prefix: str) -> tuple[str, str]:
    """What comes before and after the Project ID in the URL `name` (one reverse())."""
    before, _, after = reverse(name, args=[_MARK], urlconf=urlconf).partition(_MARK)
    return before, after


def project_url(name: str, public_id: str) -> str:
    """reverse(name, args=[public_id]), without resolving the pattern each time."""
    if not PUBLIC_ID_RE.match(public_id):
        return reverse(name, args=[public_id])  # fails as reverse() does
    before, after = _around(name, get_urlconf(), get_script_prefix())
    return f"{before}{public_id}{after}"


@register.filter
def details_url(project) -> str:
    return project_url("project_detail", project.public_id)


@register.filter
def subprojects_url(project) -> str:
    return project_url("subproject_list", project.public_id)


@register.filter
def open_url(project) -> str:
    """Where a project's name leads: a subproject's details, a project's Subprojects."""
    name = "project_detail" if project.parent_id else "subproject_list"
    return project_url(name, project.public_id)


_COPY_ICON = mark_safe(  # a constant
    '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">'
    '<rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" '
    'stroke-width="1.5"/><path d="M3 11V3a1 1 0 0 1 1-1h7" fill="none" '
    'stroke="currentColor" stroke-width="1.5"/></svg>'
)


@register.simple_tag
def copy_value(value, what, code_class="", marker="", hide_value_in_label=False):
    """The value in <code>, a copy button (hidden until app.js shows it), a live status.
    `hide_value_in_label` for secrets, so the button's label does not repeat them."""
    code_attrs = format_html(' class="{}"', code_class) if code_class else ""
    if marker:
        code_attrs = format_html("{} data-{}", code_attrs, marker)
    label = f"Copy {what}" if hide_value_in_label else f"Copy {what} {value}"
    return format_html(
        '<span class="copy-id"><code{}>{}</code>'
        '<button type="button" class="icon-button copy-button" data-copy="{}" '
        'aria-label="{}" title="Copy {}" hidden>{}</button>'
        '<span class="copy-status" role="status" aria-live="polite"></span></span>',
        code_attrs,
        value,
        value,
        label,
        what,
        _COPY_ICON,
    )


@register.simple_tag
def local_time(value, fmt="j M Y, H:i"):
    """<time datetime="ISO 8601">value in `fmt` and its zone</time>, in the active (the
    user's) time zone: "27 Nov 2026, 14:05 CET". Every time shown says its zone; the
    title names it in full ("Europe/Stockholm")."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    formatted = DateFormat(local)
    return format_html(
        '<time datetime="{}" title="{}">{} {}</time>',
        local.isoformat(),  # what |date:"c" writes
        timezone.get_current_timezone_name(),
        formatted.format(fmt),
        formatted.T(),  # the zone's abbreviation, as |date:"T"
    )


def title_html(project) -> str:
    """Project.title as HTML: its names (Project.title_names), each escaped and in its
    own <bdi> so that a right-to-left name does not reorder the other, joined by the
    escaped separator. Reads project.parent: load it with the project."""
    separator = escape(Project.TITLE_SEPARATOR)
    return separator.join(f"<bdi>{escape(name)}</bdi>" for name in project.title_names)


@register.simple_tag
def project_title(project):
    """`<bdi>Parent</bdi> &gt; <bdi>Subproject</bdi>`, or `<bdi>Project</bdi>`."""
    return mark_safe(title_html(project))  # noqa: S308 - each name escaped in title_html


@register.simple_tag
def row_badges(project):
    """The badges other apps add to a project's row (projects.contributions: billing's
    "Over spend limit"), from values the list loaded in its own query."""
    return contributions.row_badges(project)


_SUSPENDED = mark_safe('<span class="badge badge-suspended">Suspended</span>')  # a constant


@register.simple_tag
def suspended_badge(project, own_only=False):
    """ "Suspended" and why, wherever a project appears: the suspension in effect
    (Project.suspension: its own, or its parent's), or only its own with `own_only` (as
    in a suspended parent's Subprojects list, whose header says it). Reads
    project.parent: load it with the rows."""
    own = project if project.is_suspended else None
    suspension = own if own_only else project.suspension
    if suspension is None:
        return ""
    reason = suspension.suspend_reason
    if suspension is project:
        return format_html(
            '{} <span class="suspend-reason" title="{}"><bdi>{}</bdi></span>',
            _SUSPENDED,
            reason,
            reason,
        )
    return format_html(
        '{} <span class="suspend-reason" title="Its parent project is suspended: {}">'
        "Parent suspended: <bdi>{}</bdi></span>",
        _SUSPENDED,
        reason,
        reason,
    )


_OPTIONS_ICON = mark_safe(  # a constant
    '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><circle cx="8" cy="3" '
    'r="1.5"/><circle cx="8" cy="8" r="1.5"/><circle cx="8" cy="13" r="1.5"/></svg>'
)


@functools.lru_cache(maxsize=64)
def _around_html(name: str, urlconf, script_prefix: str) -> tuple[str, str]:
    """_around(), escaped for an HTML attribute (a Project ID itself needs no escaping)."""
    return tuple(escape(part) for part in _around(name, urlconf, script_prefix))


def _menu_options(subproject: bool) -> list[tuple[str, str]]:
    """(label, URL name) of a row's options: the project's sections, as every app
    registered them (projects.contributions)."""
    return [
        (s.label, s.url_name) for s in contributions.sections(subproject=subproject) if s.is_page
    ]


@register.simple_tag
def menu_row(row):
    """One row of the Projects menu (templates/projects/includes/menu_rows.html): the
    link that opens the project, its badges and its options menu. `row` comes from
    projects.menu.menu_projects (with is_current, its parent and its limit flag).

    Written as one f-string, with the names escaped and the URLs' fixed parts escaped
    once per process: a search shows 20 rows, and tags, format_html and reverse() per
    link were most of the menu's time."""
    public_id = row.public_id
    if not PUBLIC_ID_RE.match(public_id):  # never from the database; reverse() refuses it
        project_url("project_detail", public_id)
    urlconf, prefix = get_urlconf(), get_script_prefix()

    def url(name):
        before, after = _around_html(name, urlconf, prefix)
        return f"{before}{public_id}{after}"

    subproject = bool(row.parent_id)
    options = "\n".join(
        f'<li role="none"><a role="menuitem" href="{url(name)}">{label}</a></li>'
        for label, name in _menu_options(subproject)
    )
    name = escape(row.name)
    shown = title_html(row)
    if getattr(row, "is_current", False):
        current, aria, tick = " is-current", ' aria-current="true"', "✓"
        shown += '<span class="visually-hidden"> (current project)</span>'
    else:
        current = aria = tick = ""
    opens = url("project_detail" if subproject else "subproject_list")
    badges = f"{suspended_badge(row)}{row_badges(row)}"  # each escaped
    return mark_safe(  # noqa: S308 - every value in it is escaped above
        f'<li class="menu-row{current}">\n<a class="menu-row-link" href="{opens}"{aria}>\n'
        f'<span class="tick" aria-hidden="true">{tick}</span>\n<span class="menu-row-text">\n'
        f'<span class="menu-row-name">{shown}</span>\n'
        f'<code class="menu-row-id">{public_id}</code>\n{badges}\n</span>\n</a>\n'
        '<details class="dropdown options" data-menu>\n<summary class="icon-button" '
        f'aria-haspopup="menu" aria-label="Options for {name}" title="Options">\n'
        f"{_OPTIONS_ICON}\n</summary>\n"
        f'<ul class="dropdown-panel options-panel" role="menu" aria-label="Options">\n{options}\n'
        "</ul>\n</details>\n</li>"
    )
