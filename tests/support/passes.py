"""Keep the `tools` marker honest: a test that starts an external verifier or a browser must carry it.

`tests/run.sh` runs the tests marked `tools` (the DCC verifier in node, the Open Badges 2.0 validator in its
own Python, chromium through Playwright) in a pass of their own, apart from the fast parallel pass. A test
that runs one of them without the marker would slow the fast pass down and could starve its workers; the
harnesses call `require_tools_marker()`, which fails such a test with the fix in the message.
"""

from __future__ import annotations

import os

TOOLS_MARKED: set[str] = set()  # node ids of the collected tests marked `tools` (tests/conftest.py fills it)


def record_tools_marked(items) -> None:
    TOOLS_MARKED.clear()
    TOOLS_MARKED.update(item.nodeid for item in items if item.get_closest_marker("tools"))


def require_tools_marker(tool: str) -> None:
    """Fail the running test unless it is marked `tools`; outside pytest (python -m ...) do nothing."""
    current = os.environ.get("PYTEST_CURRENT_TEST")  # "<node id> (setup|call|teardown)"
    if not current:
        return
    nodeid = current.rsplit(" (", 1)[0]
    if nodeid not in TOOLS_MARKED:
        import pytest

        pytest.fail(
            f"{nodeid} runs {tool}: mark it @pytest.mark.tools so that it runs in the tools pass (tests/run.sh)",
            pytrace=False,
        )
