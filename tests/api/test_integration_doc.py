"""The worked script of docs/integrations.md, run as written against a live Laurel: it issues one credential per
completion of a mapped course, and a second run issues nothing new (its idempotency keys)."""

import re
import subprocess
import sys
from pathlib import Path

from credentials.models import Award

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations.md"


def test_the_documented_script_issues_once_per_completion(transactional_db, world, live_server, tmp_path):
    [script] = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    (tmp_path / "issue_completions.py").write_text(script)
    export = tmp_path / "completions.csv"
    export.write_text(
        "course,user,email,name\n"
        "NEG-101,7,amina@example.org,Amina Okonkwo\n"
        "NEG-101,8,lea@example.org,Léa Martin\n"
        "ART-200,9,zoe@example.org,Zoe Park\n"  # a course that earns nothing
        "NEG-101,10,not-an-address,Bad Row\n",
        encoding="utf-8",
    )
    env = {"LAUREL_URL": live_server.url, "LAUREL_API_KEY": world.tokens["issuer"], "PATH": "/usr/bin:/bin"}

    def run():
        return subprocess.run(
            [sys.executable, str(tmp_path / "issue_completions.py"), str(export)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    first = run()
    assert first.returncode == 1, first.stderr  # the bad row is reported, the others issued
    assert "NEG-101/10: 400" in first.stderr
    lines = first.stdout.strip().splitlines()
    assert len(lines) == 2 and all("/c/" in line for line in lines)
    assert Award.objects.count() == 2
    second = run()
    assert second.stdout == first.stdout  # the same awards, answered again
    assert Award.objects.count() == 2
    assert set(Award.objects.values_list("external_id", flat=True)) == {"NEG-101:7", "NEG-101:8"}
