"""What every screen must pass in the browser tests: no sideways scrolling, no table
cell whose content is wider than the cell, at a laptop's width no ID or email broken
across lines, and no serious or critical accessibility violation found by axe-core
(vendored, offline: tests/browser/vendor/axe-core)."""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
FAILING_IMPACTS = ("serious", "critical")
WIDE = 1000  # a viewport at least this wide is a laptop's: IDs and emails on one line

_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 200)),
  }));
}"""

# Table cells whose content is wider than the cell (a word that does not fit), as text.
OVERFLOWING_CELLS = """() => Array.from(document.querySelectorAll("main table td, main table th"))
  .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
  .map(cell => cell.textContent.trim().replace(/\\s+/g, " ").slice(0, 60))"""

# Elements whose text is on more than one line (its line boxes at several heights).
BROKEN = """(selector) => Array.from(document.querySelectorAll(selector)).filter(el => {
  if (el.querySelector(".visually-hidden")) return false;  // (said to screen readers only)
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  return tops.size > 1;
}).map(el => el.textContent.trim().slice(0, 60))"""

# An ID (in <code>: a Project ID, a Key ID, an event's target) or an email (a <bdi> in a
# table that holds one) on a laptop.
ONE_LINE = "main table code, main .project-id, main table bdi"
_ONE_LINE_EMAILS_AND_IDS = f"""() => ({BROKEN})({ONE_LINE!r}).filter(text =>
  !/\\s/.test(text) && (text.includes("@") || /^[0-9A-Za-z-]{{20,}}$/.test(text)))"""


def screen_problems(page, name: str) -> list[str]:
    """What is wrong with the screen shown, as sentences naming it (empty: nothing).
    Run in the page itself (page.evaluate is not subject to its CSP)."""
    # A click that navigates may return before the new document is there (a test that
    # checks the page a link opens): wait for it, not for a null document.
    page.wait_for_load_state("load")
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{name}: the page scrolls sideways by {overflow}px")
    cells = page.evaluate(OVERFLOWING_CELLS)
    if cells:
        problems.append(f"{name}: table cells wider than their column: {cells}")
    if page.viewport_size["width"] >= WIDE:
        broken = page.evaluate(_ONE_LINE_EMAILS_AND_IDS)
        if broken:
            problems.append(f"{name}: IDs or emails broken across lines: {broken}")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    violations = [v for v in page.evaluate(_RUN_AXE) if v["impact"] in FAILING_IMPACTS]
    if violations:
        problems.append(f"{name}: accessibility violations: {violations}")
    return problems


def check_screen(page, name: str) -> None:
    """Fail if the screen has any of screen_problems()."""
    problems = screen_problems(page, name)
    assert not problems, "\n".join(problems)
