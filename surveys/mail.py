"""The one place the surveys app sends mail from: the project's mail entry point (the outbox)."""

from credentials.mail import mail_many  # noqa: F401 (the one import of the mail entry point)
