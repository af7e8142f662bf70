"""The one place the surveys app sends mail from: the outbox, the project's one mail entry point."""

from outbox.services import mail_many  # noqa: F401 (the one import of the mail entry point)
