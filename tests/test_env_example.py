"""Every environment variable the settings read is documented in .env.example (production is configured by
environment variables only), except the test settings' own."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ = re.compile(r"""env(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")
TEST_ONLY = {"TEST_SQLITE_PATH"}


def test_every_variable_the_settings_read_is_in_env_example():
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read = {
        name
        for path in (ROOT / "config" / "settings").glob("*.py")
        if path.name != "test.py"
        for name in READ.findall(path.read_text())
    }
    assert read, "the pattern found no env(...) call: the test would pass without checking anything"
    assert sorted(read - documented - TEST_ONLY) == []
