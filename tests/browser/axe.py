"""axe-core (tests/tools/axe, installed by `make test-tools`: no CDN) run in a Playwright page.

The engine is put into the page with `page.evaluate(source)`, which runs through the DevTools protocol: our
Content-Security-Policy (script-src 'self', no inline script) governs the page's own scripts, not the
protocol's, so the page keeps its real policy while axe looks at it (a `<script>` tag added by
`add_script_tag(path=…)` would be inline and refused, and `bypass_csp` would test a page that is not the one
people get). Pages with a stricter policy of their own (the embed, the certificate previews) are checked the
same way.
"""

import json
import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[1] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices: any violation of any impact fails.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: TAGS}, iframes: false,"
    " resultTypes: ['violations']}).then(r => ({"
    " violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
    "  nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))})),"
    " passes: r.passes.length, incomplete: r.incomplete.map(v => v.id), url: r.url, engine: r.testEngine}))"
).replace("TAGS}", json.dumps(TAGS) + "}", 1)


@cache
def _source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing under CI (bash tests/tools/axe/setup.sh installs it)")
        pytest.skip("axe-core is not installed (bash tests/tools/axe/setup.sh)")
    return AXE.read_text()


def require_axe() -> None:
    _source()


def run(page) -> dict:
    """axe's result on the page as it is now: {"violations": [...], "passes": n, "incomplete": [ids], ...}."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_source())
    return page.evaluate(RUN)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
            for node in violation["nodes"][:4]
        )
        lines.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return "; ".join(lines)


def save(name: str, result: dict) -> Path:
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return path
