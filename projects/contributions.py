"""What apps above `projects` add to its pages, without `projects` importing them.

An app registers its parts in its AppConfig.ready():

- `Section`: a page of a project a person can go to (Usage, Billing…), listed in the
  lasting navigation of every page (dashboard.navigation), in the Projects menu's row
  options and on the project's details page;
- `RowFlag`: a value every project list loads in its own query (no query per row) and
  the badge it shows beside the project's name (billing: "Over spend limit");
- `PageSection`: a section of a project's details page (Usage, Billing, People with
  access…), in order among the page's own (Overview, Access keys, Settings, Danger
  zone), with its entry in the page's "On this page" navigation;
- `detail_part(slot, template)`: a template included on a project's details page at
  `slot` ("overview"), rendered with the page's context;
- `add_current_for(url_name, anchor, url_names)`: an app's own pages on which a section
  of another app is the current one in the navigation (webhooks: its pages are part of
  Settings).

projects registers its own sections (Details, Subprojects, Activity) the same way, so
the order of everything is one list.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str  # a URL taking the project's public ID
    order: int
    top_level_only: bool = False  # a subproject has none (Subprojects)
    # A subproject's section its customer (a login granted only the subproject) sees
    # only if the ASP shows it that (projects.customers: "bill"); "" for every section
    # a customer sees.
    customers_see: str = ""
    # The pages (URL names) on which the navigation marks this section as the current one.
    current_for: tuple[str, ...] = ()
    # A part of the url_name's page (#anchor) rather than a page of its own: only in the
    # navigation (Access keys and Settings are sections of the details page).
    anchor: str = ""

    @property
    def is_page(self) -> bool:
        return not self.anchor


@dataclass(frozen=True)
class RowFlag:
    name: str  # the attribute it adds to each project row
    annotate: Callable  # queryset -> queryset annotated with `name`
    badge: Callable  # project -> HTML (safe) for a row that has it, "" otherwise


@dataclass(frozen=True)
class PageSection:
    anchor: str  # its id on the page, and the in-page navigation's link (#anchor)
    title: str
    template: str  # its content (below its heading), rendered with the page's context
    order: int
    # Whether it shows, given the project as projects.access loaded it (user_role,
    # parent_visible) for the user looking.
    shown: Callable = lambda project: True
    wraps: bool = False  # the template draws its own <section> (and heading)


_sections: list[Section] = []
_page_sections: list[PageSection] = []
_flags: list[RowFlag] = []
_parts: dict[str, list[str]] = {}


def add_section(section: Section) -> None:
    if all((s.url_name, s.anchor) != (section.url_name, section.anchor) for s in _sections):
        _sections.append(section)
        _sections.sort(key=lambda s: s.order)


def add_current_for(url_name: str, anchor: str, url_names: tuple[str, ...]) -> None:
    """Mark the section (`url_name`, `anchor`) current on these pages too."""
    for index, section in enumerate(_sections):
        if (section.url_name, section.anchor) == (url_name, anchor):
            more = tuple(n for n in url_names if n not in section.current_for)
            _sections[index] = replace(section, current_for=section.current_for + more)
            return
    raise LookupError(f"No section {url_name}#{anchor} to mark current.")


def sections(*, subproject: bool, customer_sees: Callable = lambda what: False) -> list[Section]:
    """The sections of a project, in order; of a subproject, those it has, leaving out a
    section its customer sees only if the ASP shows it (`customers_see`) when
    `customer_sees(what)` says no: for a subproject loaded for a user (the navigation),
    projects.customers.may_see, the one rule; without it (a Projects menu row, which
    does not know whether the user is the subproject's customer) as for its customer."""
    return [
        s
        for s in _sections
        if not (subproject and s.top_level_only)
        and not (subproject and s.customers_see and not customer_sees(s.customers_see))
    ]


def add_row_flag(flag: RowFlag) -> None:
    if all(f.name != flag.name for f in _flags):
        _flags.append(flag)


def with_row_flags(queryset):
    """`queryset` with every registered flag annotated (in its own query)."""
    for flag in _flags:
        queryset = flag.annotate(queryset)
    return queryset


def load_row_flags(project) -> None:
    """Set the flags on one project (its details page): one query, none without flags."""
    if not _flags:
        return
    names = [flag.name for flag in _flags]
    values = with_row_flags(type(project).objects.filter(pk=project.pk)).values(*names).first()
    for name in names:
        setattr(project, name, (values or {}).get(name))


def row_badges(project) -> str:
    """Every flag's badge for this row (each escaped by its own app)."""
    return mark_safe("".join(flag.badge(project) for flag in _flags))  # noqa: S308


def add_page_section(section: PageSection) -> None:
    if all(s.anchor != section.anchor for s in _page_sections):
        _page_sections.append(section)
        _page_sections.sort(key=lambda s: s.order)


def page_sections(project) -> list[PageSection]:
    """The sections of this project's details page that show to the user it was loaded
    for, in order."""
    return [s for s in _page_sections if s.shown(project)]


def add_detail_part(slot: str, template: str) -> None:
    parts = _parts.setdefault(slot, [])
    if template not in parts:
        parts.append(template)


def detail_parts() -> dict[str, list[str]]:
    return _parts
