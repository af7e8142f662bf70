"""JSON log lines (LOG_FORMAT=json, the production default) and the text format."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from config.observability import requestid
from config.observability.logs import JsonFormatter
from config.observability.requestid import RequestIdFilter
from config.settings.observability import log_format, logging_config
from tests.test_deploy import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parents[2]
WARN = "import logging; logging.getLogger('laurel.x').warning('hello')"


def record(message="Award %s issued", args=("abc",), **extra):
    made = logging.LogRecord("credentials", logging.INFO, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    RequestIdFilter().filter(made)
    return made


def test_a_json_line_has_the_fields_and_the_request_id():
    token = requestid.request_id.set("req-7")
    try:
        line = JsonFormatter().format(record(award="abc", count=3))
    finally:
        requestid.request_id.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "Award abc issued" and entry["level"] == "INFO" and entry["logger"] == "credentials"
    assert entry["request_id"] == "req-7" and entry["award"] == "abc" and entry["count"] == 3
    assert entry["time"].endswith("+00:00") and "args" not in entry and "msg" not in entry


def test_a_json_line_holds_the_exception_on_one_line():
    try:
        raise ValueError("broken")
    except ValueError:
        made = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(made)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]


def test_text_and_json_configurations():
    assert logging_config(level="INFO", fmt="json")["formatters"]["laurel"] == {
        "()": "config.observability.logs.JsonFormatter"
    }
    text = logging_config(level="DEBUG", fmt="text")
    assert "%(request_id)s" in text["formatters"]["laurel"]["format"]
    assert text["handlers"]["console"]["stream"] == "ext://sys.stderr" and text["root"]["level"] == "DEBUG"


def test_log_format_is_checked(monkeypatch):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert log_format(environ.Env(), default="json") == "json"
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert log_format(environ.Env(), default="json") == "text"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(environ.ImproperlyConfigured, match="LOG_FORMAT must be text or json"):
        log_format(environ.Env(), default="json")


def test_production_logs_json_lines_to_stderr():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_", "DATABASE_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WARN],
        cwd=ROOT, env={**env, **PRODUCTION_ENV}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert {"level": "WARNING", "logger": "laurel.x", "message": "hello", "request_id": "-"}.items() <= lines[
        -1
    ].items()
    assert result.stdout == ""
