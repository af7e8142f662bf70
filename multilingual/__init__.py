"""Translated database content: a `translations` JSON field on a model ({"fr": {"name": …}, "es": {…}}),
read with a fallback to the original text. See docs/decisions/0014-i18ncontent-translated-content.md."""
