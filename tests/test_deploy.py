"""Production settings pass `check --deploy` and refuse to start without their required variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x7#kq2!vN9zL4pR8sT1wY6bD3fH5jM0cX2eG7iK9oQ4uA8nB1mV6rZ3tW5yC0",
    "DJANGO_ALLOWED_HOSTS": "laurel.example.org",
    "BASE_URL": "https://laurel.example.org",
    "DATABASE_URL": "sqlite:////tmp/laurel-deploy-check.sqlite3",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
