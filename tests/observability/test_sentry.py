"""Errors go to Sentry only when SENTRY_DSN is set, with the Django and Celery integrations and no personal data."""

from unittest import mock

import environ
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from config.observability import requestid, sentry
from config.settings.observability import init_sentry

DSN = "https://public@sentry.example.org/42"


def test_init_with_a_dsn(monkeypatch):
    monkeypatch.setenv("SENTRY_DSN", DSN)
    monkeypatch.setenv("SENTRY_ENVIRONMENT", "staging")
    monkeypatch.setenv("SENTRY_TRACES_SAMPLE_RATE", "0.25")
    with mock.patch("sentry_sdk.init") as init:
        assert init_sentry(environ.Env()) is True
    init.assert_called_once()
    options = init.call_args.kwargs
    assert options["dsn"] == DSN and options["send_default_pii"] is False
    assert options["environment"] == "staging" and options["traces_sample_rate"] == 0.25
    assert {type(i) for i in options["integrations"]} == {DjangoIntegration, CeleryIntegration}


def test_no_init_without_a_dsn(monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    with mock.patch("sentry_sdk.init") as init:
        assert init_sentry(environ.Env()) is False
    init.assert_not_called()


def test_events_carry_the_request_id():
    token = requestid.request_id.set("req-9")
    try:
        event = sentry._tag_request_id({"message": "boom"}, {})
    finally:
        requestid.request_id.reset(token)
    assert event["tags"]["request_id"] == "req-9"
    assert "tags" not in sentry._tag_request_id({"message": "outside"}, {})


def test_the_test_settings_do_not_report(settings):
    assert settings.SENTRY_ENABLED is False
