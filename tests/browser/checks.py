"""What every screen must pass in the browser tests: no sideways scrolling, and no
serious or critical accessibility violation found by axe-core (vendored, offline:
tests/browser/vendor/axe-core)."""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 200)),
  }));
}"""


def check_screen(page, name: str) -> None:
    """Fail if the page scrolls sideways or axe finds a serious or critical violation.
    Run in the page itself (page.evaluate is not subject to its CSP)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    violations = [v for v in page.evaluate(_RUN_AXE) if v["impact"] in FAILING_IMPACTS]
    assert not violations, f"{name}: accessibility violations: {violations}"
