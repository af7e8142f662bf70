"""Production settings pass `check --deploy` and refuse to start without their required variables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x7#kq2!vN9zL4pR8sT1wY6bD3fH5jM0cX2eG7iK9oQ4uA8nB1mV6rZ3tW5yC0",
    "DJANGO_ALLOWED_HOSTS": "laurel.example.org",
    "BASE_URL": "https://laurel.example.org",
    "DATABASE_URL": "postgres://laurel:secret@db.example.org:5432/laurel",  # `check` does not connect
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SIGNING_KEY_ENCRYPTION_KEYS": "7Qy2bE0ZB4Uv0o5n1m8sJc2y0m4pX8e2Xb6n0QeQ5xU=",
    "AWS_STORAGE_BUCKET_NAME": "laurel-files",  # `check` does not connect either
}


def _manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            (
                "DJANGO_",
                "DATABASE_",
                "REDIS_",
                "EMAIL_",
                "CELERY_",
                "SIGNING_",
                "BASE_URL",
                "AWS_",
                "STORAGE_",
                "LOG_",
                "SENTRY_",
            )
        )
    }
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


def test_check_deploy_names_each_unsafe_production_setting():
    unsafe = {
        "SIGNING_KEY_ENCRYPTION_KEYS": "",
        "DATABASE_URL": "sqlite:////tmp/laurel-deploy-check.sqlite3",
        "REDIS_URL": "",
        "DJANGO_ALLOWED_HOSTS": "laurel.example.org,*",
        "BASE_URL": "http://laurel.example.org",
        "AWS_STORAGE_BUCKET_NAME": "",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **unsafe})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for warning in ("laurel.W001", "laurel.W002", "laurel.W003", "laurel.W004", "laurel.W005", "laurel.W006"):
        assert warning in output, output


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"SIGNING_KEY_ENCRYPTION_KEYS": []}, "laurel.W001"),
        ({"DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}}, "laurel.W002"),
        ({"CELERY_BROKER_URL": "memory://"}, "laurel.W003"),
        ({"CELERY_TASK_ALWAYS_EAGER": True}, "laurel.W003"),
        ({"ALLOWED_HOSTS": ["laurel.example.org", "*"]}, "laurel.W004"),
        ({"BASE_URL": "http://laurel.example.org"}, "laurel.W005"),
        ({"STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}}, "laurel.W006"),
    ],
)
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")  # read by the check only, never connected
def test_each_deploy_check_fires_on_its_setting_alone(settings, change, warning):
    """The checks themselves, in-process: a correct configuration gives none, each bad setting its own."""
    from django.core.checks import run_checks

    settings.SIGNING_KEY_ENCRYPTION_KEYS = [PRODUCTION_ENV["SIGNING_KEY_ENCRYPTION_KEYS"]]
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "laurel"}}
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.ALLOWED_HOSTS = ["laurel.example.org"]
    settings.BASE_URL = "https://laurel.example.org"
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "laurel-files"}}
    settings.STORAGES = {**settings.STORAGES, "default": s3}

    def laurel_ids():
        return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("laurel.")]

    assert laurel_ids() == []
    for name, value in change.items():
        setattr(settings, name, value)
    assert laurel_ids() == [warning]


def test_a_malformed_encryption_key_stops_start_up():
    result = _manage("check", env={**PRODUCTION_ENV, "SIGNING_KEY_ENCRYPTION_KEYS": "not-a-fernet-key"})
    assert result.returncode != 0
    assert "laurel.E001" in result.stdout + result.stderr
