"""Observability: request ids carried into tasks and log lines (`requestid`), JSON logs (`logs`), Prometheus
metrics (`metrics`, `cache`, the Celery hooks in `tasks`) and Sentry (`sentry`). Settings:
config/settings/observability.py; variables: .env.example; decision: docs/decisions/ (observability)."""
