"""Mail backends of the project's own."""

import sys

from django.core.mail.backends import console


class StderrConsoleEmailBackend(console.EmailBackend):
    """Django's console backend (EMAIL_URL=consolemail://), writing to stderr instead of stdout: stdout belongs
    to what management commands print, and `issue_credential --json` must print its JSON document alone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("stream", sys.stderr)
        super().__init__(*args, **kwargs)
