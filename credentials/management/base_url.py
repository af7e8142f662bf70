"""The one warning of the management commands that print or sign links: BASE_URL is not configured.

Every credential URL (Open Badges ids, verification links, QR codes, claim links in emails) is built from
settings.BASE_URL. Unset, it is http://127.0.0.1:8000: links that only work on the machine that made them,
and once signed into a credential they cannot be changed. Commands say so on stderr (stdout stays what the
command prints, e.g. its --json document).
"""

import os

from django.conf import settings

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # config/settings/base.py's default


def warn_if_base_url_unset(command) -> bool:
    """One line on the command's stderr when the BASE_URL environment variable is not set and the settings
    use the default. Returns whether it warned."""
    if "BASE_URL" in os.environ or settings.BASE_URL != DEFAULT_BASE_URL:
        return False
    command.stderr.write(
        f"Warning: BASE_URL is not set; links use {settings.BASE_URL}, which works on this machine only. "
        "Set BASE_URL to the site's public address (https://...) before issuing: links signed into "
        "credentials cannot be changed afterwards.",
        style_func=command.style.WARNING,
    )
    return True
