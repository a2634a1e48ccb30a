"""The docs stay true: every relative link in README.md, docs/**/*.md and
bench/README.md leads to a file (and to a heading, where it names one); the README's
layout table names every folder, and its table of where the rules live names code that
exists."""

import fnmatch
import importlib
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").rglob("*.md")])

_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _numbered_prose(path: Path) -> list[tuple[int, str]]:
    """The file's lines outside fenced code blocks, with their line numbers."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def _prose(path: Path) -> list[str]:
    return [line for _number, line in _numbered_prose(path)]


def _slug(heading: str) -> str:
    """A heading's anchor, as GitHub makes it: the text in lower case, without markup
    and punctuation (but for - and _), spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = text.replace("`", "").lower()
    kept = "".join(char for char in text if char in " -_" or unicodedata.category(char)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    for line in _prose(path):
        if match := _HEADING.match(line):
            slug = _slug(match.group(2))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path):
    for number, line in _numbered_prose(path):
        line = re.sub(r"`[^`]*`", "", line)  # code spans are not links
        for match in _LINK.finditer(line):
            yield number, match.group(1)


def test_the_slugs_are_githubs():
    assert _slug("`access_keys.py`") == "access_keyspy"
    assert _slug("Ingest (internal)") == "ingest-internal"
    assert _slug("The activity (audit trail)") == "the-activity-audit-trail"
    assert _slug("Keyboard, screen readers and no JavaScript") == (
        "keyboard-screen-readers-and-no-javascript"
    )


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    broken = []
    for number, target in links(doc):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: …
            continue
        name, _, anchor = target.partition("#")
        where = (doc.parent / name).resolve() if name else doc
        if not where.exists() or (name.endswith("/") and not where.is_dir()):
            broken.append(f"line {number}: {target} (no such file)")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            broken.append(f"line {number}: {target} (no such heading)")
    assert not broken, f"{doc.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_the_docs_are_all_found():
    names = {str(p.relative_to(ROOT)) for p in DOCS}
    assert {"README.md", "bench/README.md", "docs/api.md", "docs/adr/README.md"} <= names


# --- the README's tables -----------------------------------------------------------


def _section(title: str) -> list[str]:
    lines = _prose(ROOT / "README.md")
    start = lines.index(title) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def _ignored(name: str) -> bool:
    patterns = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    return any(fnmatch.fnmatch(name, p.strip("/")) for p in patterns)


def test_the_layout_table_names_every_folder_and_only_what_exists():
    named = set()
    for line in _section("## Layout"):
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            named.update(re.findall(r"`([^`]+)`", first_cell))
    folders = {
        f"{p.name}/"
        for p in ROOT.iterdir()
        if p.is_dir() and (not p.name.startswith(".") or p.name == ".ci") and not _ignored(p.name)
    }
    assert folders <= named, f"not in README's layout: {sorted(folders - named)}"
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"README's layout names what does not exist: {missing}"


def _resolves(dotted: str) -> bool:
    """Whether `a.b.c` is a module, or a name (an attribute's attribute …) in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_name_where_the_rules_live_exists(db):
    names = [
        code for line in _section("## For developers") for code in re.findall(r"`([^`]+)`", line)
    ]
    paths = [name for name in names if "/" in name and not name.startswith("/")]
    dotted = [
        name
        for name in names
        if re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", name) and not name.endswith(".py")
    ]
    assert len(dotted) > 25 and paths
    assert not [name for name in dotted if not _resolves(name)]
    assert not [path for path in paths if not (ROOT / path).exists()]
