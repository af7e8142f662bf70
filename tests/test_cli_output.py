"""Issue 9.10: `--json` prints the JSON document alone on stdout, whatever the settings module. The commands
run as real processes (logging, task logs, WeasyPrint's font subsetting, console mail: everything that can
write to stdout does), and stdout must parse as JSON in full. Diagnostics and the BASE_URL warning go to
stderr.

One migrated SQLite file for the module (a test issuer and achievement, the default framework), shared by
the three settings modules (one secret key, so the signing keys decrypt under each).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "cli-test-only-secret-4c1f7e9a2b6d8e0f3a5c7b9d1e2f4a6c"
SETUP = """
from credentials.services import Recipient, award_issue, issuer_create
from frameworks.services import framework_load_defaults
from tests.credentials.conftest import make_achievement

framework, _ = framework_load_defaults()
issuer = issuer_create(slug="test-centre", name="Test Centre", url="https://centre.example.org",
                       email="badges@centre.example.org", description="A training centre.")
achievement = make_achievement(issuer, framework.badgecategory_set.get(code="competency"))
print(award_issue(achievement=achievement, recipient=Recipient(email="to-revoke@example.org", name="R")).public_id)
"""
SETTINGS = {
    "config.settings.production": {
        "DJANGO_ALLOWED_HOSTS": "laurel.example.org",
        "EMAIL_URL": "consolemail://",  # Django's console backend writes to stdout; ours to stderr
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    },
    "config.settings.local": {"DJANGO_DEBUG": "false"},
    "config.settings.test": {},
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli")
    (path / "people.csv").write_text("email,name\nada@example.org,Ada\nbo@example.org,Bo\n")
    for args in (["migrate", "--noinput", "-v0"], ["shell", "-c", SETUP]):
        result = manage(path, "config.settings.local", *args)
        assert result.returncode == 0, result.stderr
    (path / "to-revoke").write_text(result.stdout.split()[-1])
    return path


def manage(workdir: Path, settings_module: str, *args, base_url: str | None = None):
    keep = ("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_", "BASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(keep)}
    env |= {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{workdir / 'laurel.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        **SETTINGS[settings_module],
    }
    if base_url:
        env["BASE_URL"] = base_url
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def run_json(workdir, settings_module, *args, base_url=None):
    result = manage(workdir, settings_module, *args, base_url=base_url)
    assert result.returncode == 0, result.stderr
    try:
        document = json.loads(result.stdout)  # the whole of stdout: the document alone
    except ValueError:
        pytest.fail(f"stdout is not JSON alone:\n{result.stdout[:2000]}")
    return document, result.stderr


ISSUE = ["issue_credential", "--achievement", "negotiation", "--name", "Ada", "--json"]
# Every --json command under production settings (where the issue was seen); under local and test settings
# the two that run tasks in-process (PDFs, images, mail), which is where the stray output came from.
CASES = [
    ("config.settings.production", "issue"),
    ("config.settings.production", "list"),
    ("config.settings.production", "bulk"),
    ("config.settings.production", "revoke"),
    ("config.settings.production", "awards"),
    ("config.settings.production", "backfill"),
    ("config.settings.local", "issue"),
    ("config.settings.local", "bulk"),
    ("config.settings.test", "issue"),
]


@pytest.mark.parametrize(("settings_module", "command"), CASES)
def test_json_alone_on_stdout(workdir, settings_module, command):
    short = settings_module.rsplit(".", 1)[1]
    if command == "issue":
        data, stderr = run_json(workdir, settings_module, *ISSUE, "--email", f"issue-{short}@example.org")
        assert data["verify_url"].startswith("http://127.0.0.1:8000/c/")
        assert "Task credentials.tasks.awards_render_pdfs" in stderr  # the task logs are there, on stderr
        if short == "production":
            assert "Subject: " in stderr  # the claim email, printed by the console backend
    elif command == "list":
        data, stderr = run_json(workdir, settings_module, "list_achievements", "--json")
        assert [row["slug"] for row in data] == ["negotiation"]
    elif command == "awards":
        issued, _stderr = run_json(workdir, settings_module, *ISSUE, "--email", "awards@example.org")
        data, stderr = run_json(workdir, settings_module, "list_awards", "--email", "Awards@Example.org", "--json")
        rows = [(row["id"], row["achievement"], row["state"]) for row in data]
        assert rows == [(issued["id"], "negotiation", "issued")]
    elif command == "backfill":
        data, stderr = run_json(workdir, settings_module, "stacking_backfill", "--json")
        assert set(data) == {"recipients", "issued", "suggested"}
    elif command == "bulk":
        csv = str(workdir / "people.csv")
        data, stderr = run_json(workdir, settings_module, "bulk_issue", "--achievement", "negotiation", csv, "--json")
        assert data["rows"] == data["valid"] == 2 and data["created"] + data["skipped"] == 2
    else:
        public_id = (workdir / "to-revoke").read_text()
        data, stderr = run_json(workdir, settings_module, "revoke_credential", public_id, "--reason", "Oops", "--json")
        assert data["state"] == "revoked" and data["id"] == public_id
    if command not in ("list", "awards", "backfill"):
        assert "Warning: BASE_URL is not set; links use http://127.0.0.1:8000" in stderr


def test_no_warning_and_public_links_with_base_url(workdir):
    data, stderr = run_json(
        workdir,
        "config.settings.production",
        *ISSUE,
        "--email",
        "base-url@example.org",
        base_url="https://laurel.example.org",
    )
    assert data["verify_url"].startswith("https://laurel.example.org/c/") and "BASE_URL" not in stderr


def test_programme_commands_as_an_operator_runs_them(workdir):
    """list_programmes --json is JSON alone; staff_add with a bad slug or role exits 2 with a message, no
    traceback (issue 11.2)."""
    data, _stderr = run_json(workdir, "config.settings.production", "list_programmes", "--json")
    assert data == []
    for args in (["--programme", "nope", "--role", "issuer"], ["--programme", "nope", "--role", "owner"]):
        result = manage(workdir, "config.settings.production", "staff_add", "--email", "a@example.org", *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert "No programme with the slug 'nope'" in result.stderr or "Unknown role 'owner'" in result.stderr
