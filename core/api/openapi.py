"""Parts of the API's OpenAPI document: each app that serves routes under /api describes
them in a Fragment (its paths, tags and components); the top-level `api` package merges
every app's fragment into the one document served at /api/openapi.json."""

import copy
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fragment:
    """One app's part of the document. `components` maps a section ("schemas",
    "responses", "parameters", "securitySchemes") to its entries."""

    paths: dict
    tags: list = field(default_factory=list)
    components: dict = field(default_factory=dict)


def merge(doc: dict, fragment: Fragment, *, where: str) -> None:
    """Add `fragment` to `doc` (copied: fragments are module constants). A path or a
    component defined twice is a mistake in one of the fragments: ValueError."""
    doc.setdefault("tags", []).extend(copy.deepcopy(fragment.tags))
    _add(doc.setdefault("paths", {}), fragment.paths, f"{where}: paths")
    for section, entries in fragment.components.items():
        target = doc.setdefault("components", {}).setdefault(section, {})
        _add(target, entries, f"{where}: components.{section}")


def _add(target: dict, entries: dict, where: str) -> None:
    for name, value in entries.items():
        if name in target:
            raise ValueError(f"{where}: {name!r} is defined twice")
        target[name] = copy.deepcopy(value)
